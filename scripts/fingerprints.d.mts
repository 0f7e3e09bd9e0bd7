// Types of fingerprints.mjs (plain JavaScript: it runs before anything is installed).
export declare function inputsOfInstall(root: string): string;
export declare function inputsOfGenerate(root: string): string;
export declare function inputsOfBuild(root: string): string;
export declare function inputsOfChecks(root: string): string;
