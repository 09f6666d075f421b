package dev.modelseal.formats.tfjs;

import java.nio.channels.FileChannel;
import java.nio.file.Path;

/** {@code length} bytes at {@code offset} of shard file {@code file}; checked against its size. */
record Segment(FileChannel channel, Path file, long offset, long length) {}
