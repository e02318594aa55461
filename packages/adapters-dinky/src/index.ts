/**
 * Placeholder entry; filled by its issue.
 *
 * @module
 */
export {};
