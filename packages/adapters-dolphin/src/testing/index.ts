/**
 * Test helpers.
 *
 * @module
 */
export {};
