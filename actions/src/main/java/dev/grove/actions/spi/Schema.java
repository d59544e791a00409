package dev.grove.actions.spi;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The shape of a config section, as far as Grove checks it at load time: which keys an object may
 * have (an unknown key is an error with a did-you-mean), which of them Garden has but Grove does
 * not act on yet (accepted with a warning), and the shapes of nested objects and lists. Anything
 * finer (value types, ranges) is checked where the value is used.
 */
public sealed interface Schema {

  /** Any value at all (free-form maps such as {@code env} or {@code patch}). */
  Schema ANY = new Any();

  /** Any value; no checks below this point. */
  record Any() implements Schema {}

  /** A list whose items have the given shape. */
  record ListOf(Schema item) implements Schema {}

  /**
   * An object with known keys.
   *
   * @param fields the keys Garden's schema has, with their shapes
   * @param notActedOn keys that are accepted but that Grove does not act on yet
   */
  record Obj(Map<String, Schema> fields, Set<String> notActedOn) implements Schema {
    public Obj {
      fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
      notActedOn = Set.copyOf(notActedOn);
    }
  }

  static ListOf listOf(Schema item) {
    return new ListOf(item);
  }

  /** Starts an object schema: {@code Schema.obj().any("env").field("ports", ...).build()}. */
  static ObjBuilder obj() {
    return new ObjBuilder();
  }

  /** Builds an {@link Obj} field by field. */
  final class ObjBuilder {
    private final Map<String, Schema> fields = new LinkedHashMap<>();
    private final java.util.Set<String> notActedOn = new java.util.HashSet<>();

    /** Keys whose values Grove does not look into. */
    public ObjBuilder any(String... names) {
      for (String name : names) {
        fields.put(name, ANY);
      }
      return this;
    }

    public ObjBuilder field(String name, Schema shape) {
      fields.put(name, shape);
      return this;
    }

    /** Garden fields that Grove accepts but does not act on yet (a warning names each use). */
    public ObjBuilder notActedOn(String... names) {
      for (String name : names) {
        fields.putIfAbsent(name, ANY);
        notActedOn.add(name);
      }
      return this;
    }

    public ObjBuilder with(Obj other) {
      fields.putAll(other.fields());
      notActedOn.addAll(other.notActedOn());
      return this;
    }

    public Obj build() {
      return new Obj(fields, notActedOn);
    }
  }

  /** The keys of an object schema, for messages. */
  static List<String> keys(Obj obj) {
    return List.copyOf(obj.fields().keySet());
  }
}
