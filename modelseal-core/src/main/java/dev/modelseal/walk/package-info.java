/**
 * Which files make up a model: {@link dev.modelseal.walk.ModelWalker} turns a path into a {@link
 * dev.modelseal.walk.ModelTree} following the OMS v1.0 rules (exclusions, ignore paths, symbolic
 * links, special files, names).
 */
package dev.modelseal.walk;
