package dev.grove.sandbox.node;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/** The byte pump of the node's relays (registry relay, Services proxy): one direction. */
public final class ChannelCopy {
  private ChannelCopy() {}

  /**
   * Copies {@code from} to {@code to} until {@code from} ends, then half-closes {@code to}; what to
   * close when a side fails is the caller's.
   */
  public static void copy(SocketChannel from, SocketChannel to, int bufferBytes)
      throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(bufferBytes);
    while (from.read(buffer) >= 0) {
      buffer.flip();
      while (buffer.hasRemaining()) {
        to.write(buffer);
      }
      buffer.clear();
    }
    to.shutdownOutput();
  }
}
