/**
 * The package's root folder, for files read at run time (SQL rules, package.json). This module sits
 * one folder below the root, and so does every file of the prebuilt CLI bundle (dist/, see
 * scripts/build-cli.mjs) that inlines it: the same relative URL is right from the sources and the bundle.
 */
export const PACKAGE_ROOT = new URL("../", import.meta.url);
