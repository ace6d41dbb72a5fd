import type { ESLint } from 'eslint';

export function layerOf(file: string, root: string): string | undefined;
export function layeringViolation(file: string, source: string, root: string, typeOnly?: boolean): string | undefined;
declare const plugin: ESLint.Plugin;
export default plugin;
