/**
 * Every path heuristic and path check in one home. Which written text is a path, and its lexical
 * class (`tokens.ts`); the folders a Tracker's paths are written against (`bases.ts`); resolving a
 * path inside the repository root, symlinks included (`resolve.ts`); what the file system said,
 * kept between analyses and dropped on file events (`cache.ts`); close matches for a missing
 * one (`suggest.ts`).
 *
 * This file is the folder's public API; anyone may import it (core, CLI, extension). The other
 * files are private to the folder. Pure core: no `vscode`; file access only through `WorkspaceFs`.
 */
export {
  WEB_URL,
  classifyPath,
  cleanPath,
  isBareName,
  isInside,
  isPathToken,
  isPathValue,
  looksLikePath,
  type PathClass,
} from './tokens';
export { absolutePath, basePrefixes, candidateBases } from './bases';
export { Limiter, PathResolver, findRepositoryRoot, type PathKind, type ResolvedPath, type ResolverOptions } from './resolve';
export { selfJoined, type Suggestion } from './suggest';
export { PathCache, type PathCacheOptions } from './cache';
