package dev.grove.sandbox.apiserver;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the protobuf request bodies client-go's typed clients send ({@code Content-Type:
 * application/vnd.kubernetes.protobuf}; Helm's release storage is one, and it does not retry in
 * JSON after a 415) into the JSON maps the API stores: the {@code k8s\0} envelope, its {@code
 * runtime.Unknown}, and inside it a {@code v1 Secret}, {@code v1 ConfigMap}, {@code v1 Namespace}
 * or {@code DeleteOptions}. Field numbers are those of {@code k8s.io/api/core/v1/generated.proto}
 * and {@code k8s.io/apimachinery/pkg/apis/meta/v1/generated.proto}; unknown fields are skipped, as
 * a proto2 reader does. Other kinds are refused with 415, saying to send JSON.
 */
final class ProtobufBody {

  static final String MEDIA_TYPE = "application/vnd.kubernetes.protobuf";

  private static final byte[] MAGIC = {'k', '8', 's', 0};

  /** The kinds whose protobuf form this API reads. */
  static final Set<String> KINDS = Set.of("Secret", "ConfigMap", "Namespace", "DeleteOptions");

  private ProtobufBody() {}

  /**
   * A body this API cannot read; {@code code} is 400 (malformed) or 415 (a kind it does not read).
   */
  static final class UnreadableBody extends Exception {
    private static final long serialVersionUID = 1L;
    private final int code;

    UnreadableBody(int code, String message) {
      super(message);
      this.code = code;
    }

    int code() {
      return code;
    }

    /** The {@code v1 Status} a real API server would answer. */
    String status() {
      return ApiStatus.failure(
          code, code == 415 ? "UnsupportedMediaType" : "BadRequest", getMessage());
    }
  }

  /** Whether a {@code Content-Type} header names the Kubernetes protobuf media type. */
  static boolean isProtobuf(String contentType) {
    return contentType != null
        && contentType.split(";")[0].strip().toLowerCase(Locale.ROOT).equals(MEDIA_TYPE);
  }

  /** The object in {@code body}, as JSON would have carried it. */
  static Map<String, Object> read(byte[] body) throws UnreadableBody {
    if (body.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(body, MAGIC.length), MAGIC)) {
      throw new UnreadableBody(
          400, "the protobuf body does not start with the Kubernetes envelope (k8s\\0)");
    }
    try {
      Reader unknown = new Reader(Arrays.copyOfRange(body, MAGIC.length, body.length));
      String apiVersion = "";
      String kind = "";
      byte[] raw = new byte[0];
      String encoding = "";
      String contentType = "";
      while (unknown.more()) {
        switch (unknown.field()) {
          case 1 -> {
            Reader typeMeta = unknown.message();
            while (typeMeta.more()) {
              switch (typeMeta.field()) {
                case 1 -> apiVersion = typeMeta.string();
                case 2 -> kind = typeMeta.string();
                default -> typeMeta.skip();
              }
            }
          }
          case 2 -> raw = unknown.bytes();
          case 3 -> encoding = unknown.string();
          case 4 -> contentType = unknown.string();
          default -> unknown.skip();
        }
      }
      if (!encoding.isEmpty() || !(contentType.isEmpty() || isProtobuf(contentType))) {
        throw new UnreadableBody(
            415, "the protobuf envelope carries " + contentType + " " + encoding + "; send JSON");
      }
      Map<String, Object> object = new LinkedHashMap<>();
      object.put("apiVersion", apiVersion);
      object.put("kind", kind);
      Reader r = new Reader(raw);
      switch (kind) {
        case "Secret" -> secret(r, object);
        case "ConfigMap" -> configMap(r, object);
        case "Namespace" -> namespace(r, object);
        case "DeleteOptions" -> deleteOptions(r, object);
        default ->
            throw new UnreadableBody(
                415,
                "the sandbox API reads protobuf bodies of "
                    + String.join(", ", KINDS.stream().sorted().toList())
                    + " only, not "
                    + apiVersion
                    + " "
                    + kind
                    + "; send it as application/json");
      }
      return object;
    } catch (Malformed e) {
      throw new UnreadableBody(400, "the protobuf body is malformed: " + e.getMessage());
    }
  }

  // ---- the kinds (field numbers from the generated.proto files) ----

  private static void secret(Reader r, Map<String, Object> secret) throws Malformed {
    Map<String, Object> data = new LinkedHashMap<>();
    Map<String, Object> stringData = new LinkedHashMap<>();
    while (r.more()) {
      switch (r.field()) {
        case 1 -> secret.put("metadata", objectMeta(r.message()));
        case 2 -> mapEntry(r.message(), data, true);
        case 3 -> putString(secret, "type", r.string());
        case 4 -> mapEntry(r.message(), stringData, false);
        case 5 -> secret.put("immutable", r.bool());
        default -> r.skip();
      }
    }
    putMap(secret, "data", data);
    putMap(secret, "stringData", stringData);
  }

  private static void configMap(Reader r, Map<String, Object> configMap) throws Malformed {
    Map<String, Object> data = new LinkedHashMap<>();
    Map<String, Object> binaryData = new LinkedHashMap<>();
    while (r.more()) {
      switch (r.field()) {
        case 1 -> configMap.put("metadata", objectMeta(r.message()));
        case 2 -> mapEntry(r.message(), data, false);
        case 3 -> mapEntry(r.message(), binaryData, true);
        case 4 -> configMap.put("immutable", r.bool());
        default -> r.skip();
      }
    }
    putMap(configMap, "data", data);
    putMap(configMap, "binaryData", binaryData);
  }

  /** {@code kubectl create namespace}: metadata and the spec's finalizers (status is the API's). */
  private static void namespace(Reader r, Map<String, Object> namespace) throws Malformed {
    while (r.more()) {
      switch (r.field()) {
        case 1 -> namespace.put("metadata", objectMeta(r.message()));
        case 2 -> {
          Reader spec = r.message();
          List<Object> finalizers = new ArrayList<>();
          while (spec.more()) {
            if (spec.field() == 1) {
              finalizers.add(spec.string());
            } else {
              spec.skip();
            }
          }
          if (!finalizers.isEmpty()) {
            namespace.put("spec", Map.of("finalizers", finalizers));
          }
        }
        default -> r.skip();
      }
    }
  }

  private static void deleteOptions(Reader r, Map<String, Object> options) throws Malformed {
    List<Object> dryRun = new ArrayList<>();
    while (r.more()) {
      switch (r.field()) {
        case 1 -> options.put("gracePeriodSeconds", r.varint());
        case 2 -> {
          Reader p = r.message();
          Map<String, Object> preconditions = new LinkedHashMap<>();
          while (p.more()) {
            switch (p.field()) {
              case 1 -> preconditions.put("uid", p.string());
              case 2 -> preconditions.put("resourceVersion", p.string());
              default -> p.skip();
            }
          }
          options.put("preconditions", preconditions);
        }
        case 3 -> options.put("orphanDependents", r.bool());
        case 4 -> options.put("propagationPolicy", r.string());
        case 5 -> dryRun.add(r.string());
        default -> r.skip();
      }
    }
    if (!dryRun.isEmpty()) {
      options.put("dryRun", dryRun);
    }
  }

  /**
   * {@code ObjectMeta}; the fields a client may set, empty ones left out as JSON's {@code
   * omitempty} does. {@code managedFields} is the server's, and skipped.
   */
  private static Map<String, Object> objectMeta(Reader r) throws Malformed {
    Map<String, Object> meta = new LinkedHashMap<>();
    Map<String, Object> labels = new LinkedHashMap<>();
    Map<String, Object> annotations = new LinkedHashMap<>();
    List<Object> owners = new ArrayList<>();
    List<Object> finalizers = new ArrayList<>();
    while (r.more()) {
      switch (r.field()) {
        case 1 -> putString(meta, "name", r.string());
        case 2 -> putString(meta, "generateName", r.string());
        case 3 -> putString(meta, "namespace", r.string());
        case 5 -> putString(meta, "uid", r.string());
        case 6 -> putString(meta, "resourceVersion", r.string());
        case 7 -> {
          long generation = r.varint();
          if (generation != 0) {
            meta.put("generation", generation);
          }
        }
        case 8 -> putString(meta, "creationTimestamp", time(r.message()));
        case 11 -> mapEntry(r.message(), labels, false);
        case 12 -> mapEntry(r.message(), annotations, false);
        case 13 -> owners.add(ownerReference(r.message()));
        case 14 -> finalizers.add(r.string());
        default -> r.skip();
      }
    }
    putMap(meta, "labels", labels);
    putMap(meta, "annotations", annotations);
    if (!owners.isEmpty()) {
      meta.put("ownerReferences", owners);
    }
    if (!finalizers.isEmpty()) {
      meta.put("finalizers", finalizers);
    }
    return meta;
  }

  private static Map<String, Object> ownerReference(Reader r) throws Malformed {
    Map<String, Object> owner = new LinkedHashMap<>();
    while (r.more()) {
      switch (r.field()) {
        case 1 -> owner.put("kind", r.string());
        case 3 -> owner.put("name", r.string());
        case 4 -> owner.put("uid", r.string());
        case 5 -> owner.put("apiVersion", r.string());
        case 6 -> owner.put("controller", r.bool());
        case 7 -> owner.put("blockOwnerDeletion", r.bool());
        default -> r.skip();
      }
    }
    return owner;
  }

  /** {@code meta.v1.Time} (seconds, nanos) as RFC 3339; empty for the zero time (JSON's null). */
  private static String time(Reader r) throws Malformed {
    long seconds = 0;
    long nanos = 0;
    while (r.more()) {
      switch (r.field()) {
        case 1 -> seconds = r.varint();
        case 2 -> nanos = r.varint();
        default -> r.skip();
      }
    }
    return seconds == 0 && nanos == 0 ? "" : Instant.ofEpochSecond(seconds).toString();
  }

  /** One {@code map<string, string|bytes>} entry (key = 1, value = 2); bytes become base64. */
  private static void mapEntry(Reader r, Map<String, Object> into, boolean bytes) throws Malformed {
    String key = "";
    Object value = "";
    while (r.more()) {
      switch (r.field()) {
        case 1 -> key = r.string();
        case 2 -> value = bytes ? Base64.getEncoder().encodeToString(r.bytes()) : r.string();
        default -> r.skip();
      }
    }
    into.put(key, value);
  }

  private static void putString(Map<String, Object> into, String key, String value) {
    if (!value.isEmpty()) {
      into.put(key, value);
    }
  }

  private static void putMap(Map<String, Object> into, String key, Map<String, Object> value) {
    if (!value.isEmpty()) {
      into.put(key, value);
    }
  }

  // ---- the wire format ----

  private static final class Malformed extends Exception {
    private static final long serialVersionUID = 1L;

    Malformed(String message) {
      super(message);
    }
  }

  /** Protocol buffers' wire format, read field by field: tag, then the value of its wire type. */
  private static final class Reader {
    private final byte[] bytes;
    private int at;
    private int wireType;

    Reader(byte[] bytes) {
      this.bytes = bytes;
    }

    boolean more() {
      return at < bytes.length;
    }

    /** The next field's number. */
    int field() throws Malformed {
      long tag = varint();
      wireType = (int) (tag & 7);
      int field = (int) (tag >>> 3);
      if (field <= 0) {
        throw new Malformed("field number " + field + " at byte " + at);
      }
      return field;
    }

    long varint() throws Malformed {
      long value = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (at >= bytes.length) {
          throw new Malformed("a varint runs past the end");
        }
        byte b = bytes[at++];
        value |= (long) (b & 0x7f) << shift;
        if (b >= 0) {
          return value;
        }
      }
      throw new Malformed("a varint longer than 10 bytes");
    }

    boolean bool() throws Malformed {
      expect(0);
      return varint() != 0;
    }

    byte[] bytes() throws Malformed {
      expect(2);
      long length = varint();
      if (length < 0 || length > bytes.length - at) {
        throw new Malformed("a field of " + length + " bytes runs past the end");
      }
      byte[] value = Arrays.copyOfRange(bytes, at, at + (int) length);
      at += (int) length;
      return value;
    }

    String string() throws Malformed {
      try {
        return StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(bytes()))
            .toString();
      } catch (CharacterCodingException e) {
        throw new Malformed("a string field is not UTF-8");
      }
    }

    Reader message() throws Malformed {
      return new Reader(bytes());
    }

    /** Skips the value of a field this reader does not know. */
    void skip() throws Malformed {
      switch (wireType) {
        case 0 -> varint();
        case 1 -> advance(8);
        case 2 -> bytes();
        case 5 -> advance(4);
        default -> throw new Malformed("wire type " + wireType + " (groups are not used)");
      }
    }

    private void expect(int type) throws Malformed {
      if (wireType != type) {
        throw new Malformed("wire type " + wireType + " where " + type + " was expected");
      }
    }

    private void advance(int n) throws Malformed {
      if (n > bytes.length - at) {
        throw new Malformed("a fixed-size field runs past the end");
      }
      at += n;
    }
  }
}
