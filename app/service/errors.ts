// Errors a service call can end with, carried across every transport as { name, code, message }.
import type { ServiceErrorInfo } from './api.ts';

export type ServiceErrorCode = 'BAD_ARGS' | 'NOT_FOUND' | 'UNKNOWN_METHOD' | 'CONFLICT' | 'BUSY' | 'FAILED';

export class ServiceError extends Error {
  override name = 'ServiceError';
  constructor(
    readonly code: ServiceErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** The transportable form of any thrown value (unexpected errors keep their message, never a stack). */
export function toErrorInfo(err: unknown): ServiceErrorInfo {
  if (err instanceof ServiceError) return { name: err.name, code: err.code, message: err.message };
  const e = err as { name?: string; code?: unknown; message?: string };
  return { name: e?.name ?? 'Error', code: typeof e?.code === 'string' ? e.code : 'FAILED', message: e?.message ?? String(err) };
}
