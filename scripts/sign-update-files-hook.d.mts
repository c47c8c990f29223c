// Types for sign-update-files-hook.mjs (its test imports it).
export function updateFilesIn(artifactPaths: string[]): string[];
export default function afterAllArtifactBuild(buildResult: { artifactPaths: string[] }, env?: Record<string, string | undefined>): string[];
