package dev.grove.sandbox.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The cluster DNS's answers, on the wire: Service names (full, and {@code svc.ns}) to their
 * ClusterIP, pod names to their address, NXDOMAIN for other cluster names, NODATA for AAAA of a
 * name that exists, REFUSED outside the cluster, FORMERR for an unreadable question.
 */
class ClusterDnsTest {

  private static final Map<String, List<String>> NAMES =
      Map.of(
          "web.shop.svc.cluster.local", List.of("10.96.0.12"),
          "db.shop.svc.cluster.local", List.of("10.42.0.7", "10.42.0.8"));

  @Test
  void a_service_name_resolves_to_its_cluster_ip_authoritatively() throws Exception {
    Reply reply = ask("web.shop.svc.cluster.local", DnsMessage.TYPE_A);

    assertThat(reply.id).isEqualTo(4242);
    assertThat(reply.rcode).isEqualTo(DnsMessage.NOERROR);
    assertThat(reply.authoritative).isTrue();
    assertThat(reply.isResponse).isTrue();
    assertThat(reply.recursionDesired).isTrue();
    assertThat(reply.addresses).containsExactly("10.96.0.12");
    assertThat(reply.ttl).isEqualTo(ClusterDns.TTL);
  }

  @Test
  void names_are_case_insensitive_and_svc_dot_namespace_is_answered_too() throws Exception {
    assertThat(ask("WEB.Shop.svc.cluster.local", DnsMessage.TYPE_A).addresses)
        .containsExactly("10.96.0.12");
    assertThat(ask("web.shop", DnsMessage.TYPE_A).addresses).containsExactly("10.96.0.12");
  }

  @Test
  void a_headless_service_gives_every_ready_pod() throws Exception {
    assertThat(ask("db.shop.svc.cluster.local", DnsMessage.TYPE_A).addresses)
        .containsExactly("10.42.0.7", "10.42.0.8");
  }

  @Test
  void a_pod_name_gives_its_address() throws Exception {
    assertThat(ask("10-42-0-9.shop.pod.cluster.local", DnsMessage.TYPE_A).addresses)
        .containsExactly("10.42.0.9");
  }

  @Test
  void an_unknown_cluster_name_does_not_exist_and_an_outside_name_is_refused() throws Exception {
    Reply unknown = ask("nothere.shop.svc.cluster.local", DnsMessage.TYPE_A);
    Reply outside = ask("example.com", DnsMessage.TYPE_A);
    Reply wrongNamespace = ask("web.other", DnsMessage.TYPE_A);

    assertThat(unknown.rcode).isEqualTo(DnsMessage.NXDOMAIN);
    assertThat(unknown.authoritative).isTrue();
    assertThat(unknown.addresses).isEmpty();
    assertThat(outside.rcode).isEqualTo(DnsMessage.REFUSED);
    assertThat(wrongNamespace.rcode).isEqualTo(DnsMessage.REFUSED);
  }

  @Test
  void aaaa_of_a_service_is_no_data_not_nxdomain() throws Exception {
    Reply reply = ask("web.shop.svc.cluster.local", DnsMessage.TYPE_AAAA);

    assertThat(reply.rcode).isEqualTo(DnsMessage.NOERROR);
    assertThat(reply.addresses).isEmpty();
  }

  @Test
  void a_truncated_question_is_a_format_error_and_a_bare_fragment_no_answer() {
    byte[] query = DnsMessage.query(7, "web.shop.svc.cluster.local", DnsMessage.TYPE_A);
    byte[] truncated = java.util.Arrays.copyOf(query, 20);

    byte[] answer = ClusterDns.answer(truncated, NAMES).orElseThrow();

    assertThat(DnsMessage.u16(answer, 0)).isEqualTo(7);
    assertThat(answer[3] & 0xf).isEqualTo(DnsMessage.FORMERR);
    assertThat(ClusterDns.answer(new byte[5], NAMES)).isEmpty();
  }

  private record Reply(
      int id,
      boolean isResponse,
      boolean authoritative,
      boolean recursionDesired,
      int rcode,
      List<String> addresses,
      int ttl) {}

  /** Asks {@link ClusterDns#answer} and reads its reply as a resolver would. */
  private static Reply ask(String name, int type) throws Exception {
    byte[] packet = ClusterDns.answer(DnsMessage.query(4242, name, type), NAMES).orElseThrow();
    int flags = DnsMessage.u16(packet, 2);
    int questions = DnsMessage.u16(packet, 4);
    int answers = DnsMessage.u16(packet, 6);
    assertThat(questions).isEqualTo(1);
    int at = 12;
    while (packet[at] != 0) {
      at += 1 + packet[at];
    }
    at += 1 + 4;
    List<String> addresses = new ArrayList<>();
    int ttl = -1;
    for (int i = 0; i < answers; i++) {
      assertThat(DnsMessage.u16(packet, at)).isEqualTo(0xC00C);
      assertThat(DnsMessage.u16(packet, at + 2)).isEqualTo(DnsMessage.TYPE_A);
      assertThat(DnsMessage.u16(packet, at + 4)).isEqualTo(DnsMessage.CLASS_IN);
      ttl = (DnsMessage.u16(packet, at + 6) << 16) | DnsMessage.u16(packet, at + 8);
      assertThat(DnsMessage.u16(packet, at + 10)).isEqualTo(4);
      byte[] ip = java.util.Arrays.copyOfRange(packet, at + 12, at + 16);
      addresses.add(InetAddress.getByAddress(ip).getHostAddress());
      at += 16;
    }
    assertThat(at).isEqualTo(packet.length);
    return new Reply(
        DnsMessage.u16(packet, 0),
        (flags & 0x8000) != 0,
        (flags & 0x0400) != 0,
        (flags & 0x0100) != 0,
        flags & 0xf,
        addresses,
        ttl);
  }
}
