// One entry point for every transport: checks the method name against the API list and the
// argument shape (a plain object), calls the method, and turns failures into transportable errors.
import type { MethodName, ServiceApi, ServiceErrorInfo } from './api.ts';
import { isMethodName } from './methods.ts';
import { ServiceError, toErrorInfo } from './errors.ts';

export type CallOutcome = { ok: true; result: unknown } | { ok: false; error: ServiceErrorInfo };

export async function dispatch(api: ServiceApi, method: unknown, args: unknown): Promise<CallOutcome> {
  try {
    if (!isMethodName(method)) throw new ServiceError('UNKNOWN_METHOD', `unknown method: ${String(method).slice(0, 80)}`);
    const a = args ?? {};
    if (typeof a !== 'object' || Array.isArray(a)) throw new ServiceError('BAD_ARGS', 'arguments must be an object');
    const fn = api[method] as (x: unknown) => Promise<unknown>;
    return { ok: true, result: await fn(a) };
  } catch (err) {
    return { ok: false, error: toErrorInfo(err) };
  }
}

export type { MethodName };
