/**
 * safetensors reader, single files and sharded models ({@code model.safetensors.index.json}).
 *
 * <p>Validation mirrors the reference Rust reader and goes further where it leaves room for parser
 * differentials: duplicate JSON keys, unknown tensor fields and lone surrogates in names are
 * rejected; trailing bytes after the data are rejected as in the reference.
 */
package dev.modelseal.formats.safetensors;
