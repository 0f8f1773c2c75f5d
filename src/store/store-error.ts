/**
 * The store's typed failures. `reason` mirrors the Kubernetes API server's status reasons
 * (NotFound 404, AlreadyExists 409, Conflict 409 — also "too old resource version" 410 on watch,
 * Invalid 422) plus Locked for a state directory in use; `code` is the stable weft error code.
 */
export type StoreErrorReason = 'NotFound' | 'AlreadyExists' | 'Conflict' | 'Locked' | 'Invalid';

const CODES: Record<StoreErrorReason, string> = {
  NotFound: 'WEFT_ERR_STORE_NOT_FOUND',
  AlreadyExists: 'WEFT_ERR_STORE_ALREADY_EXISTS',
  Conflict: 'WEFT_ERR_STORE_CONFLICT',
  Locked: 'WEFT_ERR_STORE_LOCKED',
  Invalid: 'WEFT_ERR_STORE_INVALID',
};

export class StoreError extends Error {
  readonly reason: StoreErrorReason;
  readonly code: string;
  /** For Locked: the pid of the process that holds the state directory. */
  readonly holderPid?: number;

  constructor(reason: StoreErrorReason, message: string, opts: { holderPid?: number; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'StoreError';
    this.reason = reason;
    this.code = CODES[reason];
    if (opts.holderPid !== undefined) this.holderPid = opts.holderPid;
  }
}
