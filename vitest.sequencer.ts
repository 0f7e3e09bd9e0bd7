// Runs the cross-process tests (the `test/` project) first, then the webhooks'. Vitest queues
// projects by name, which put them last: their long files (crash loops, migrations interrupted,
// the load script: a minute each) then ran at the end with one worker busy and the other idle.
// Started first, they overlap with the many short unit-test files, which fill the gaps and end
// together. The webhooks' delivery test waits out retries for 11 s on little CPU: last by name,
// it was the run's last 11 s, alone.
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const FIRST_PROJECTS = ['@pulso/test', '@pulso/webhooks'];

export default class LongFilesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (file: TestSpecification) => {
      const index = FIRST_PROJECTS.indexOf(file.project.name);
      return index === -1 ? FIRST_PROJECTS.length : index;
    };
    // A stable sort: within each rank, the order Vitest chose.
    return sorted.toSorted((a, b) => rank(a) - rank(b));
  }
}
