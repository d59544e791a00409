package dev.grove.api.project;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Reads the files a user's project holds (config files, varfiles, ignore files, manifests,
 * Dockerfiles) without trusting them: only regular files are opened (a symbolic link to one is
 * fine; a FIFO, a device or a socket never is, so a read cannot block or run forever), at most a
 * size cap is read (checked on the bytes read, not only on the size the file claims), and a
 * decoding error names its line. Shared by the daemon, the action types and the CLI. Blocking I/O.
 */
public final class UserFiles {
  /** What Grove reads of one file at most, unless the caller names another cap. */
  public static final long MAX_BYTES = 10L << 20;

  /** Why a file could not be read. */
  public enum Reason {
    MISSING,
    FOLDER,
    NOT_A_FILE,
    TOO_LARGE,
    PERMISSION_DENIED,
    ENCODING,
    IO
  }

  /**
   * A file Grove will not or cannot read. The message says why in a few words ("permission denied",
   * "it is a folder, not a file"), for the caller to put after the file's name.
   */
  public static final class UnreadableException extends IOException {
    private static final long serialVersionUID = 1L;

    private final Reason reason;
    private final int line;
    private final int column;

    UnreadableException(Reason reason, String message, int line, int column) {
      super(message);
      this.reason = reason;
      this.line = line;
      this.column = column;
    }

    public Reason reason() {
      return reason;
    }

    /** The line of an encoding error (from 1); 0 when the reason is not about a place. */
    public int line() {
      return line;
    }

    /** The column (byte in the line, from 1) of an encoding error; 0 otherwise. */
    public int column() {
      return column;
    }

    /** What the user can do about it. */
    public String suggestion() {
      return switch (reason) {
        case MISSING -> "Create the file, or fix the path (or the symbolic link) that names it.";
        case FOLDER -> "Rename the folder, or replace it with a file.";
        case NOT_A_FILE -> "Replace it with a regular file (or a symbolic link to one).";
        case TOO_LARGE -> "Split the file, or move the data out of it.";
        case PERMISSION_DENIED -> "Give the user running Grove read access to it (chmod/chown).";
        case ENCODING -> "Save the file as UTF-8.";
        case IO -> "Check the file and the disk it is on.";
      };
    }
  }

  private UserFiles() {}

  /** The file's text (UTF-8), at most {@link #MAX_BYTES}. */
  public static String readText(Path file) throws UnreadableException {
    return readText(file, MAX_BYTES);
  }

  /** The file's text (UTF-8), at most {@code maxBytes}. */
  public static String readText(Path file, long maxBytes) throws UnreadableException {
    return decode(readBytes(file, maxBytes));
  }

  /** The file's bytes, at most {@code maxBytes}. */
  public static byte[] readBytes(Path file, long maxBytes) throws UnreadableException {
    checkRegular(file);
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
    } catch (IOException e) {
      throw translate(e);
    }
    if (bytes.length > maxBytes) {
      throw tooLarge(maxBytes);
    }
    return bytes;
  }

  /**
   * Checks, without opening it, that {@code file} (or what a symbolic link names) is a regular
   * file. Throws the same {@link UnreadableException} a read would.
   */
  public static void checkRegular(Path file) throws UnreadableException {
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (IOException e) {
      throw translate(e);
    }
    if (attrs.isDirectory()) {
      throw new UnreadableException(Reason.FOLDER, "it is a folder, not a file", 0, 0);
    }
    if (!attrs.isRegularFile()) {
      throw new UnreadableException(
          Reason.NOT_A_FILE, "it is " + special(file) + ", not a regular file", 0, 0);
    }
  }

  /** The UTF-8 text of {@code bytes}; a malformed sequence is an error naming its line. */
  public static String decode(byte[] bytes) throws UnreadableException {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    if (result.isError()) {
      int at = in.position();
      int line = 1;
      int lineStart = 0;
      for (int i = 0; i < at; i++) {
        if (bytes[i] == '\n') {
          line++;
          lineStart = i + 1;
        }
      }
      throw new UnreadableException(
          Reason.ENCODING,
          String.format(
              "it is not valid UTF-8 at line %d, column %d (byte 0x%02x)",
              line, at - lineStart + 1, bytes[at] & 0xff),
          line,
          at - lineStart + 1);
    }
    out.flip();
    return out.toString();
  }

  /** "10 MiB", "1 KiB", "16 bytes": how a cap reads in a message. */
  public static String size(long bytes) {
    if (bytes >= 1 << 20 && bytes % (1 << 20) == 0) {
      return (bytes >> 20) + " MiB";
    }
    if (bytes >= 1 << 10 && bytes % (1 << 10) == 0) {
      return (bytes >> 10) + " KiB";
    }
    return bytes + " bytes";
  }

  private static UnreadableException tooLarge(long maxBytes) {
    return new UnreadableException(
        Reason.TOO_LARGE, "it is larger than " + size(maxBytes) + ", the most Grove reads", 0, 0);
  }

  private static UnreadableException translate(IOException e) {
    if (e instanceof UnreadableException unreadable) {
      return unreadable;
    }
    if (e instanceof AccessDeniedException) {
      return new UnreadableException(Reason.PERMISSION_DENIED, "permission denied", 0, 0);
    }
    if (e instanceof NoSuchFileException) {
      return new UnreadableException(Reason.MISSING, "it does not exist", 0, 0);
    }
    String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (detail.contains("Too many levels of symbolic links")) {
      return new UnreadableException(Reason.IO, "its symbolic links form a loop", 0, 0);
    }
    return new UnreadableException(Reason.IO, "cannot read it (" + detail + ")", 0, 0);
  }

  /** What kind of special file this is, for a message. */
  private static String special(Path file) {
    try {
      int mode = (Integer) Files.getAttribute(file, "unix:mode");
      return switch (mode & 0170000) {
        case 0010000 -> "a FIFO (named pipe)";
        case 0020000 -> "a character device";
        case 0060000 -> "a block device";
        case 0140000 -> "a socket";
        default -> "a special file";
      };
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return "a special file";
    }
  }
}
