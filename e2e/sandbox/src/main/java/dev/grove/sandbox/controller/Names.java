package dev.grove.sandbox.controller;

import dev.grove.sandbox.cluster.KubeJson;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/** The names controllers give what they create: template hashes and random suffixes. */
public final class Names {

  /** The alphabet Kubernetes generates name suffixes and template hashes from (no vowels). */
  private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

  private final Random random;

  Names(Random random) {
    this.random = random;
  }

  /**
   * A pod template's hash as the deployment controller names ReplicaSets: 10 safe characters, the
   * same for the same template. (The controller hashes its Go struct with FNV-32a; this hashes the
   * template's JSON with FNV-1a 64, so the names differ from a real cluster's but behave alike.)
   */
  public static String templateHash(PodTemplateSpec template) {
    long h = 0xcbf29ce484222325L;
    for (byte b : KubeJson.write(template).getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xff)) * 0x100000001b3L;
    }
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < 10; i++) {
      s.append(ALPHABET.charAt((int) Long.remainderUnsigned(h, ALPHABET.length())));
      h = Long.divideUnsigned(h, ALPHABET.length());
    }
    return s.toString();
  }

  /** Five random safe characters, as {@code generateName} appends. */
  synchronized String suffix() {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      s.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return s.toString();
  }
}
