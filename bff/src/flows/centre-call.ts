import type { CentreFailure } from '../national/port';

/** A centre call that did not get done, as an error (a cause for the log, or thrown where the caller expects an answer). */
export class CentreCallError extends Error {
  constructor(readonly infno: string, readonly outcome: CentreFailure) {
    super(`${infno} ${outcome.kind}: ${outcome.reason}`);
    this.name = 'CentreCallError';
  }
}
