package dev.grove.sandbox.node;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;

/**
 * An image layer written by hand: a ustar archive of folders, files and symbolic links, owned by
 * root, every time stamp 0, so the same entries always give the same bytes (and digests). The gzip
 * stream Java writes carries no time or name either.
 */
final class TarLayer {

  private final ByteArrayOutputStream tar = new ByteArrayOutputStream();

  /** A folder ({@code name} without a trailing slash) with {@code mode}, e.g. 0755. */
  TarLayer folder(String name, int mode) {
    header(name + "/", mode, 0, '5', "");
    return this;
  }

  TarLayer file(String name, int mode, byte[] content) {
    header(name, mode, content.length, '0', "");
    tar.writeBytes(content);
    pad(content.length);
    return this;
  }

  TarLayer symlink(String name, String target) {
    header(name, 0777, 0, '2', target);
    return this;
  }

  /** The archive, ended by its two zero blocks. */
  byte[] tar() {
    ByteArrayOutputStream done = new ByteArrayOutputStream();
    done.writeBytes(tar.toByteArray());
    done.writeBytes(new byte[1024]);
    return done.toByteArray();
  }

  /** The archive gzipped: the layer blob. */
  byte[] gzip() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(tar());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e); // in memory: cannot happen
    }
    return out.toByteArray();
  }

  static String sha256(byte[] bytes) {
    try {
      return "sha256:"
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private void header(String name, int mode, long size, char type, String link) {
    byte[] block = new byte[512];
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    if (nameBytes.length > 100 || link.length() > 100) {
      throw new IllegalArgumentException("Name too long for a plain ustar entry: " + name);
    }
    System.arraycopy(nameBytes, 0, block, 0, nameBytes.length);
    octal(block, 100, 8, mode);
    octal(block, 108, 8, 0); // uid
    octal(block, 116, 8, 0); // gid
    octal(block, 124, 12, size);
    octal(block, 136, 12, 0); // mtime
    block[156] = (byte) type;
    byte[] linkBytes = link.getBytes(StandardCharsets.UTF_8);
    System.arraycopy(linkBytes, 0, block, 157, linkBytes.length);
    byte[] magic = "ustar\u000000".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(magic, 0, block, 257, magic.length);
    byte[] owner = "root".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(owner, 0, block, 265, owner.length);
    System.arraycopy(owner, 0, block, 297, owner.length);
    // the checksum is computed with its own field as spaces
    for (int i = 148; i < 156; i++) {
      block[i] = ' ';
    }
    long sum = 0;
    for (byte b : block) {
      sum += b & 0xff;
    }
    String checksum = String.format("%06o", sum);
    System.arraycopy(checksum.getBytes(StandardCharsets.US_ASCII), 0, block, 148, 6);
    block[154] = 0;
    block[155] = ' ';
    tar.writeBytes(block);
  }

  private static void octal(byte[] block, int offset, int length, long value) {
    String digits = String.format("%0" + (length - 1) + "o", value);
    System.arraycopy(digits.getBytes(StandardCharsets.US_ASCII), 0, block, offset, length - 1);
    block[offset + length - 1] = 0;
  }

  private void pad(long size) {
    int rest = (int) (size % 512);
    if (rest != 0) {
      tar.writeBytes(new byte[512 - rest]);
    }
  }
}
