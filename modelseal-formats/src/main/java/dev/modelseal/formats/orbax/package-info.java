/**
 * The Orbax checkpoint reader (JAX's {@code orbax-checkpoint}): the zarr v3 layout that {@code
 * PyTreeCheckpointHandler(use_ocdbt=False, use_zarr3=True)} writes, one directory per array with
 * its {@code zarr.json} and one chunk (a {@code sharding_indexed} shard of one inner chunk, or a
 * plain chunk), zstd through aircompressor. The OCDBT layout (orbax's default) is recognised and
 * refused with a message saying so: its b-tree is not read yet.
 */
package dev.modelseal.formats.orbax;
