package dev.grove.sandbox.cluster;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records core/v1 Events as the controllers and the kubelet do: a repeated event (same object,
 * reason and message) counts up and moves its lastTimestamp instead of making a new one. Used from
 * the loop's thread only.
 */
public final class EventRecorder {

  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);

  public static final String NORMAL = "Normal";
  public static final String WARNING = "Warning";

  private record Key(String uid, String fieldPath, String type, String reason, String message) {}

  private record Recorded(String namespace, String name, int count) {}

  private final KubernetesClient client;
  private final Clock clock;
  private final Map<Key, Recorded> recorded = new ConcurrentHashMap<>();
  private final AtomicLong sequence = new AtomicLong();

  public EventRecorder(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  /**
   * Records that {@code component} (kubelet, default-scheduler, deployment-controller, ...) saw
   * {@code reason} about {@code involved}.
   *
   * @param fieldPath the part of the object it is about ({@code spec.containers{web}}), or null
   */
  public void record(
      HasMetadata involved,
      String fieldPath,
      String type,
      String reason,
      String message,
      String component) {
    String now = ClusterState.timestamp(clock.instant());
    String namespace = involved.getMetadata().getNamespace();
    Key key = new Key(involved.getMetadata().getUid(), fieldPath, type, reason, message);
    Recorded before = recorded.get(key);
    try {
      if (before != null) {
        int count = before.count() + 1;
        Event updated =
            client
                .v1()
                .events()
                .inNamespace(before.namespace())
                .withName(before.name())
                .edit(
                    e -> {
                      e.setCount(count);
                      e.setLastTimestamp(now);
                      return e;
                    });
        if (updated != null) {
          recorded.put(key, new Recorded(before.namespace(), before.name(), count));
          return;
        }
      }
    } catch (KubernetesClientException gone) {
      // deleted meanwhile: record it anew
    }
    String name =
        involved.getMetadata().getName()
            + "."
            + Long.toHexString(clock.millis() * 1_000_000L + sequence.incrementAndGet());
    try {
      client
          .v1()
          .events()
          .inNamespace(namespace)
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  .withName(name)
                  .withNamespace(namespace)
                  .endMetadata()
                  .withNewInvolvedObject()
                  .withApiVersion(involved.getApiVersion())
                  .withKind(involved.getKind())
                  .withNamespace(namespace)
                  .withName(involved.getMetadata().getName())
                  .withUid(involved.getMetadata().getUid())
                  .withResourceVersion(involved.getMetadata().getResourceVersion())
                  .withFieldPath(fieldPath)
                  .endInvolvedObject()
                  .withType(type)
                  .withReason(reason)
                  .withMessage(message)
                  .withNewSource()
                  .withComponent(component)
                  .withHost(component.equals("kubelet") ? Node.NAME : null)
                  .endSource()
                  .withReportingComponent(component)
                  .withReportingInstance(component.equals("kubelet") ? Node.NAME : "")
                  .withFirstTimestamp(now)
                  .withLastTimestamp(now)
                  .withCount(1)
                  .build())
          .create();
      recorded.put(key, new Recorded(namespace, name, 1));
    } catch (KubernetesClientException e) {
      LOG.warn("Could not record event {} {} on {}: {}", reason, message, name, e.getMessage());
    }
  }

  /** Forgets the events of objects that are gone, so their keys do not pile up. */
  public void retain(Set<String> liveUids) {
    recorded.keySet().removeIf(k -> !liveUids.contains(k.uid()));
  }
}
