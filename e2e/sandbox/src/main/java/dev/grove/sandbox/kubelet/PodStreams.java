package dev.grove.sandbox.kubelet;

import dev.grove.sandbox.node.NodeNetwork;
import java.net.URI;
import java.util.List;

/**
 * The kubelet's streaming side as the API server's {@code pods/exec}, {@code pods/attach} and
 * {@code pods/portforward} use it: for a request, the URL of the container runtime's streaming
 * server (CRI {@code Exec}, {@code Attach}, {@code PortForward}), which speaks the same upgrade
 * protocols (SPDY/3.1 and websockets) as a kubelet; the API server proxies the client's upgrade
 * request to it. The URL is on the node's loopback: dial it through {@link #network()}.
 */
public interface PodStreams {

  /** Why a request cannot be served: the API answers {@code code} with this message. */
  final class StreamException extends Exception {
    private static final long serialVersionUID = 1L;
    public final int code;

    public StreamException(int code, String message) {
      super(message);
      this.code = code;
    }
  }

  /**
   * @param container empty = the pod's only (or first) container, as the API defaults it
   */
  URI exec(
      String namespace,
      String pod,
      String container,
      List<String> command,
      boolean stdin,
      boolean stdout,
      boolean stderr,
      boolean tty)
      throws StreamException;

  URI attach(
      String namespace,
      String pod,
      String container,
      boolean stdin,
      boolean stdout,
      boolean stderr,
      boolean tty)
      throws StreamException;

  URI portForward(String namespace, String pod, List<Integer> ports) throws StreamException;

  NodeNetwork network();
}
