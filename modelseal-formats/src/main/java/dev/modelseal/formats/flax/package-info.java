/**
 * The JAX/Flax msgpack checkpoint reader: what {@code flax.serialization.to_bytes} (and {@code
 * msgpack_serialize}) writes, a msgpack map of the pytree with every array as a msgpack extension
 * (type 1 an array, type 3 a NumPy scalar) holding {@code (shape, dtype name, row-major bytes)},
 * arrays over flax's chunk limit split into flax's {@code __msgpack_chunked_array__} form.
 *
 * <p>The msgpack is read by {@link dev.modelseal.formats.flax.MsgpackInput}, a small decoder of our
 * own (no msgpack library is on the project's dependency list): every count and length is checked
 * against the bytes left in the file before it is used, nesting is limited, payloads are skipped by
 * seeking, never loaded, so memory is bounded by the number of values in the tree, not by the size
 * of the arrays. Nothing in the file is executed or turned into live objects.
 */
package dev.modelseal.formats.flax;
