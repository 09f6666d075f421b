/**
 * The Orbax checkpoint reader (JAX's {@code orbax-checkpoint}) in both layouts orbax writes: the
 * keys of the checkpoint's tensorstore OCDBT store (orbax's default; {@code OcdbtDatabase}, our own
 * bounded decoder of tensorstore's specified format: manifest, latest version, b-tree, inline and
 * out-of-line values) or one directory per array; each array's zarr v3 ({@code zarr.json}) or zarr
 * v2 ({@code .zarray}) metadata and its one chunk (a {@code sharding_indexed} shard of one inner
 * chunk, or a plain chunk), zstd through aircompressor.
 */
package dev.modelseal.formats.orbax;
