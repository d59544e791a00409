package dev.grove.sandbox.node;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What this machine offers the node: whether the process is root, where a program is, whether a
 * file is a static executable, whether a network namespace can be made. An interface so that {@link
 * ContainerdNode#unavailable(NodeHost)} can be shown each reason without changing the machine.
 */
public interface NodeHost {

  /** The machine this process runs on. */
  NodeHost REAL = new Real();

  boolean root();

  /** {@code name} on the PATH (or in /usr/sbin, /sbin, /usr/bin, where root's tools are). */
  Optional<Path> program(String name);

  /** Whether {@code file} exists and is executable. */
  boolean executable(Path file);

  /** Whether {@code file} is an ELF executable with no interpreter (runs in an empty image). */
  boolean staticExecutable(Path file);

  /** Why no network namespace can be made here, if it cannot (tries one). */
  Optional<String> netnsProblem();

  /** The real machine. */
  final class Real implements NodeHost {

    private Real() {}

    @Override
    public boolean root() {
      try {
        return Libc.get().geteuid() == 0;
      } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
        return "root".equals(System.getProperty("user.name"));
      }
    }

    @Override
    public Optional<Path> program(String name) {
      List<String> folders = new ArrayList<>();
      String path = System.getenv("PATH");
      if (path != null) {
        folders.addAll(List.of(path.split(":")));
      }
      folders.addAll(
          List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"));
      for (String folder : folders) {
        if (!folder.isEmpty()) {
          Path candidate = Path.of(folder, name);
          if (executable(candidate)) {
            return Optional.of(candidate);
          }
        }
      }
      return Optional.empty();
    }

    @Override
    public boolean executable(Path file) {
      return Files.isRegularFile(file) && Files.isExecutable(file);
    }

    @Override
    public boolean staticExecutable(Path file) {
      if (!executable(file)) {
        return false;
      }
      // ELF64 little-endian: e_phoff at 32 (8 bytes), e_phentsize at 54, e_phnum at 56 (2 each);
      // a program header's p_type (4 bytes) is PT_INTERP (3) for a dynamically linked program
      try (RandomAccessFile elf = new RandomAccessFile(file.toFile(), "r")) {
        byte[] header = new byte[64];
        elf.readFully(header);
        if (header[0] != 0x7f || header[1] != 'E' || header[2] != 'L' || header[3] != 'F') {
          return false;
        }
        if (header[4] != 2 || header[5] != 1) {
          return false; // not 64-bit little-endian: not what the images are made for
        }
        java.nio.ByteBuffer h =
            java.nio.ByteBuffer.wrap(header).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        long phoff = h.getLong(32);
        int phentsize = Short.toUnsignedInt(h.getShort(54));
        int phnum = Short.toUnsignedInt(h.getShort(56));
        for (int i = 0; i < phnum; i++) {
          elf.seek(phoff + (long) i * phentsize);
          int type = Integer.reverseBytes(elf.readInt());
          if (type == 3) {
            return false;
          }
        }
        return true;
      } catch (IOException e) {
        return false;
      }
    }

    @Override
    public Optional<String> netnsProblem() {
      String probe = "grove-probe-" + ProcessHandle.current().pid();
      try {
        NetnsNetwork.delete(probe);
        NetnsNetwork.Result added =
            NetnsNetwork.Commands.run(
                List.of("ip", "netns", "add", probe), java.time.Duration.ofSeconds(10));
        if (added.exitCode() != 0) {
          return Optional.of(added.output().strip());
        }
        NetnsNetwork.delete(probe);
        return Optional.empty();
      } catch (IOException e) {
        return Optional.of(e.getMessage());
      }
    }
  }
}
