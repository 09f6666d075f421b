/**
 * Building blocks shared by the format readers: bounded chunked streams over file regions, zip
 * members and memory, the byte-order and Fortran-order conversions to canonical bytes, a bounded
 * little-endian header reader, strict UTF-8 decoding, the opening of a file for a reader ({@link
 * dev.modelseal.formats.internal.ReadChannel}). Not API; may change at any time.
 */
package dev.modelseal.formats.internal;
