// User errors: a stable code and one line naming the cause and the fix; never a stack trace.

export type UserErrorCode = 'usage' | 'config' | 'prerequisite' | 'output';

/** An error caused by the user's input or machine: exit 2, printed as one line. */
export class UserError extends Error {
  constructor(
    readonly code: UserErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'UserError';
  }
}
