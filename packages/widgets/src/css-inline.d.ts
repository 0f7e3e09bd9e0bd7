// `import text from './x.css?inline'`: Vite hands over the stylesheet's text (minified in builds).
declare module '*.css?inline' {
  const css: string;
  export default css;
}
