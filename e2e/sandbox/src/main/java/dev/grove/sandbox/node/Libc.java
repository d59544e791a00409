package dev.grove.sandbox.node;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;

/** The few C library calls the node needs that the JDK does not offer. */
interface Libc extends Library {

  int O_RDONLY = 0;
  int O_CLOEXEC = 0x80000;
  int CLONE_NEWNET = 0x40000000;
  int MNT_DETACH = 2;

  /** Loaded on first use: a machine without the node never loads a native library. */
  static Libc get() {
    return Holder.INSTANCE;
  }

  int open(String path, int flags) throws LastErrorException;

  int close(int fd) throws LastErrorException;

  /** Moves the calling OS thread into the namespace {@code fd} names. */
  int setns(int fd, int nstype) throws LastErrorException;

  int umount2(String target, int flags) throws LastErrorException;

  int geteuid();

  /** The lazy holder idiom: {@link Native#load} runs when {@link #get()} is first called. */
  final class Holder {
    static final Libc INSTANCE = Native.load("c", Libc.class);

    private Holder() {}
  }
}
