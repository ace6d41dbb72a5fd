// Which analysers a track needs to run again, and the key naming an analyser set's versions.

/** A stable key for a set of analyser versions, e.g. 'chords:2,frontend:1,key:3'. */
export function versionKey(versions: Record<string, number>): string {
  return Object.keys(versions)
    .sort()
    .map((name) => `${name}:${versions[name]}`)
    .join(',');
}

/** The analysers whose stored version differs from the current one (or that have no stored result). */
export function staleAnalysers(stored: Record<string, number>, current: Record<string, number>): string[] {
  return Object.keys(current)
    .filter((name) => stored[name] !== current[name])
    .sort();
}
