// Runs the cross-process tests (the `test/` project) first. Vitest queues projects by name, which
// put them last: their long files (crash loops, migrations interrupted, the load script: a minute
// each) then ran at the end with one worker busy and the other idle. Started first, they overlap
// with the many short unit-test files, which fill the gaps and end together.
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const FIRST_PROJECT = '@pulso/test';

export default class LongFilesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const first = sorted.filter((file) => file.project.name === FIRST_PROJECT);
    return [...first, ...sorted.filter((file) => file.project.name !== FIRST_PROJECT)];
  }
}
