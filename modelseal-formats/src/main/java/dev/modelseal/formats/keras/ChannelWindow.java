package dev.modelseal.formats.keras;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;

/**
 * A read-only {@link SeekableByteChannel} over {@code length} bytes of a file channel from {@code
 * base}: lets jhdf read an HDF5 file stored uncompressed inside a zip, in place. Reads are
 * positional on the shared channel, so the window never moves the channel's position. Closing the
 * window does not close the underlying channel.
 */
final class ChannelWindow implements SeekableByteChannel {
  private final FileChannel channel;
  private final long base;
  private final long length;
  private long position;
  private boolean open = true;

  ChannelWindow(FileChannel channel, long base, long length) {
    this.channel = channel;
    this.base = base;
    this.length = length;
  }

  @Override
  public synchronized int read(ByteBuffer dst) throws IOException {
    if (!open) {
      throw new ClosedChannelException();
    }
    if (position >= length) {
      return -1;
    }
    int want = (int) Math.min(dst.remaining(), length - position);
    ByteBuffer view = dst.duplicate();
    view.limit(view.position() + want);
    int n = channel.read(view, base + position);
    if (n > 0) {
      dst.position(dst.position() + n);
      position += n;
    }
    return n;
  }

  @Override
  public int write(ByteBuffer src) {
    throw new NonWritableChannelException();
  }

  @Override
  public synchronized long position() {
    return position;
  }

  @Override
  public synchronized SeekableByteChannel position(long newPosition) {
    if (newPosition < 0) {
      throw new IllegalArgumentException("negative position");
    }
    position = newPosition;
    return this;
  }

  @Override
  public long size() {
    return length;
  }

  @Override
  public SeekableByteChannel truncate(long size) {
    throw new NonWritableChannelException();
  }

  @Override
  public synchronized boolean isOpen() {
    return open;
  }

  @Override
  public synchronized void close() {
    open = false;
  }
}
