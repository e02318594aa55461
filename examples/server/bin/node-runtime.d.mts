/** The oldest Node the project runs on, as [major, minor]. */
export declare const MIN_NODE: readonly [number, number];
/** Whether a Node version (`22.13.0`, no `v`) is recent enough for DataPortal. */
export declare function recentEnough(version: string): boolean;
/** The folder with a recent enough `node` (installing Node 24 into a cache when needed). */
export declare function nodeBinDir(): string;
