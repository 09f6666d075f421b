/**
 * NumPy {@code .npy} (format 1.0, 2.0, 3.0) and {@code .npz} readers.
 *
 * <p>The header, a Python dict literal, is read by a small hand-written parser of the literal
 * subset numpy writes (strings, integers, booleans, tuples, lists, dicts): nothing is evaluated.
 * Big-endian data is byte-swapped and Fortran-order data transposed to canonical row-major
 * little-endian bytes. Object arrays (descr {@code O}, a pickle) are refused, never unpickled.
 */
package dev.modelseal.formats.numpy;
