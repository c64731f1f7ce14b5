/** A refusal in the centre's error format: `{code, message}` without encData ([I] codes: sandbox/national/README.md). */
export class CentreError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}
