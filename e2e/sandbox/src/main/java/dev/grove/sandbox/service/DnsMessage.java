package dev.grove.sandbox.service;

import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The DNS wire format (RFC 1035) as far as the pods' resolver needs it: a query's id, flags and
 * first question read; an answer with A records written. Nothing else (no EDNS, no compression
 * beyond pointing answers at the question's name).
 */
final class DnsMessage {

  static final int TYPE_A = 1;
  static final int TYPE_AAAA = 28;
  static final int TYPE_ANY = 255;
  static final int CLASS_IN = 1;

  static final int NOERROR = 0;
  static final int FORMERR = 1;
  static final int SERVFAIL = 2;
  static final int NXDOMAIN = 3;
  static final int NOTIMP = 4;
  static final int REFUSED = 5;

  private static final int HEADER = 12;

  private DnsMessage() {}

  /** A query's question: the name (lower case, no trailing dot), its type and class. */
  record Query(int id, int flags, String name, int type, int dnsClass, byte[] question) {

    int opcode() {
      return (flags >> 11) & 0xf;
    }

    boolean isResponse() {
      return (flags & 0x8000) != 0;
    }
  }

  /**
   * The query in {@code packet}; empty when it is too short to answer at all (no id). A question
   * that cannot be read gives a query with an empty name and type -1 (answered FORMERR).
   */
  static Optional<Query> parse(byte[] packet, int length) {
    if (length < HEADER) {
      return Optional.empty();
    }
    int id = u16(packet, 0);
    int flags = u16(packet, 2);
    int questions = u16(packet, 4);
    if (questions < 1) {
      return Optional.of(new Query(id, flags, "", -1, -1, new byte[0]));
    }
    List<String> labels = new ArrayList<>();
    int at = HEADER;
    while (true) {
      if (at >= length) {
        return Optional.of(new Query(id, flags, "", -1, -1, new byte[0]));
      }
      int size = packet[at] & 0xff;
      if (size == 0) {
        at++;
        break;
      }
      if (size > 63 || at + 1 + size > length) { // compression has no place in a question
        return Optional.of(new Query(id, flags, "", -1, -1, new byte[0]));
      }
      labels.add(new String(packet, at + 1, size, StandardCharsets.US_ASCII));
      at += 1 + size;
    }
    if (at + 4 > length) {
      return Optional.of(new Query(id, flags, "", -1, -1, new byte[0]));
    }
    int type = u16(packet, at);
    int dnsClass = u16(packet, at + 2);
    byte[] question = new byte[at + 4 - HEADER];
    System.arraycopy(packet, HEADER, question, 0, question.length);
    String name = String.join(".", labels).toLowerCase(Locale.ROOT);
    return Optional.of(new Query(id, flags, name, type, dnsClass, question));
  }

  /**
   * The answer to {@code query}: its question echoed, {@code rcode}, and an A record (TTL {@code
   * ttl} seconds) per address; authoritative when {@code authoritative}.
   */
  static byte[] answer(
      Query query, int rcode, boolean authoritative, List<Inet4Address> addresses, int ttl) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int flags = 0x8000 | (query.opcode() << 11) | (query.flags() & 0x0100) | (rcode & 0xf);
    if (authoritative) {
      flags |= 0x0400;
    }
    boolean withQuestion = query.question().length > 0;
    u16(out, query.id());
    u16(out, flags);
    u16(out, withQuestion ? 1 : 0);
    u16(out, withQuestion ? addresses.size() : 0);
    u16(out, 0);
    u16(out, 0);
    if (!withQuestion) {
      return out.toByteArray();
    }
    out.writeBytes(query.question());
    for (Inet4Address address : addresses) {
      u16(out, 0xC000 | HEADER); // the question's name
      u16(out, TYPE_A);
      u16(out, CLASS_IN);
      u16(out, (ttl >> 16) & 0xffff);
      u16(out, ttl & 0xffff);
      u16(out, 4);
      out.writeBytes(address.getAddress());
    }
    return out.toByteArray();
  }

  /** A query for {@code name} (what a resolver sends; for tests and clients). */
  static byte[] query(int id, String name, int type) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    u16(out, id);
    u16(out, 0x0100); // recursion desired
    u16(out, 1);
    u16(out, 0);
    u16(out, 0);
    u16(out, 0);
    for (String label : name.split("\\.")) {
      byte[] bytes = label.getBytes(StandardCharsets.US_ASCII);
      out.write(bytes.length);
      out.writeBytes(bytes);
    }
    out.write(0);
    u16(out, type);
    u16(out, CLASS_IN);
    return out.toByteArray();
  }

  static int u16(byte[] packet, int at) {
    return ((packet[at] & 0xff) << 8) | (packet[at + 1] & 0xff);
  }

  private static void u16(ByteArrayOutputStream out, int value) {
    out.write((value >> 8) & 0xff);
    out.write(value & 0xff);
  }
}
