/** Why dist/ is not up to date with src/ (the first file found), or null when it is. */
export function staleBuild(root: string): string | null;
