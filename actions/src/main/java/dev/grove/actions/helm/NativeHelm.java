package dev.grove.actions.helm;

import com.marcnuri.helm.jni.HelmLib;
import com.marcnuri.helm.jni.NativeLibrary;
import com.sun.jna.Native;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.Properties;
import java.util.ServiceLoader;

/**
 * Loads helm-java's native library from a cache folder. helm-java's own loader copies the 98 MB
 * library to a fresh temp folder on every load (left behind when the JVM is killed, as the worker
 * is); this one extracts it once per helm-java version and platform, under a temp name renamed into
 * place, and later workers map the same file.
 */
final class NativeHelm {

  private NativeHelm() {}

  static HelmLib load(Path libraries) {
    NativeLibrary platform = platform();
    String binary = platform.getBinaryName();
    Path file = libraries.resolve("helm-java-" + helmJavaVersion()).resolve(binary);
    try {
      if (!Files.isRegularFile(file)) {
        extract(platform, binary, file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not extract Helm's native library to " + file, e);
    }
    return Native.load(file.toString(), HelmLib.class);
  }

  /** The helm-java version of the platform jar on the classpath (it names the cache folder). */
  static String helmJavaVersion() {
    try (InputStream in =
        NativeLibrary.class.getResourceAsStream("/META-INF/native-libraries.properties")) {
      Properties properties = new Properties();
      if (in != null) {
        properties.load(in);
      }
      return properties.getProperty("com.marcnuri.jkube-helm.version", "unknown");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static NativeLibrary platform() {
    // not NativeLibrary.getInstance(): it falls back to downloading a jar from Maven Central
    Iterator<NativeLibrary> found =
        ServiceLoader.load(NativeLibrary.class, NativeHelm.class.getClassLoader()).iterator();
    if (!found.hasNext()) {
      throw new IllegalStateException(
          "Helm's native library for "
              + System.getProperty("os.name")
              + "/"
              + System.getProperty("os.arch")
              + " is not on Grove's classpath");
    }
    return found.next();
  }

  private static void extract(NativeLibrary platform, String binary, Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Path partial = Files.createTempFile(file.getParent(), binary, ".partial");
    try (InputStream in = platform.getClass().getResourceAsStream("/" + binary)) {
      if (in == null) {
        throw new IOException(binary + " is missing from helm-java's platform jar");
      }
      Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
      try {
        Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(partial);
    }
  }
}
