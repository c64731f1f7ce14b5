/**
 * The set-up every browser test file shares: one stack serving the H5 build (started once per file,
 * after checking that the build and Chromium are there), a pool of previews closed after each test,
 * and the browser and the stack stopped at the end. `suite.stack` is the running stack inside tests.
 */
import { assertPreviewPrerequisites, closeBrowser, H5_DIR, previewPool } from './browser';
import { testStack, type TestStack } from './stack';

type StackOptions = NonNullable<Parameters<typeof testStack>[0]>;

export interface PreviewSuite {
  readonly stack: TestStack;
  readonly previews: ReturnType<typeof previewPool>;
}

export function previewSuite(opts: Omit<StackOptions, 'h5Dir'> = {}): PreviewSuite {
  let running: TestStack | undefined;
  const previews = previewPool(() => suite.stack.urls.bff);
  const suite: PreviewSuite = {
    get stack(): TestStack {
      if (!running) throw new Error('the stack is not running (beforeAll failed or has not run)');
      return running;
    },
    previews,
  };
  beforeAll(async () => {
    assertPreviewPrerequisites(); // a missing build or browser fails every test with the reason
    running = await testStack({ ...opts, h5Dir: H5_DIR });
  }, 180_000);
  afterEach(() => previews.closeAll());
  afterAll(async () => {
    await closeBrowser();
    await running?.cleanup();
  });
  return suite;
}
