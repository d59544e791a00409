package dev.grove.actions.build.container;

import static dev.grove.actions.spi.ActionCodes.BUILD_FAILED;
import static dev.grove.actions.spi.ActionCodes.REGISTRY_FORBIDDEN;
import static dev.grove.actions.spi.ActionCodes.REGISTRY_NOT_FOUND;
import static dev.grove.actions.spi.ActionCodes.REGISTRY_UNAUTHORIZED;
import static dev.grove.actions.spi.ActionCodes.REGISTRY_UNREACHABLE;

import com.google.api.client.http.HttpResponseException;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.RegistryUnauthorizedException;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.event.events.TimerEvent;
import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionException;
import dev.grove.actions.spi.Cancellation;
import dev.grove.actions.spi.LogSink;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a {@link JibImagePlan} to a registry or to a tar file. Blocks: call it on a worker pool.
 * jib's log events become log lines; cancellation interrupts the build.
 */
public final class JibBuilder {

  /**
   * jib tries https before http even for a registry marked insecure, and warns at each step; the
   * user asked for plain http, so those warnings say nothing new.
   */
  static boolean expectedForInsecure(String message, Target target) {
    return target instanceof Registry registry
        && registry.insecure()
        && (message.startsWith("Cannot verify server at https://")
            || (message.startsWith("Failed to connect to https://")
                && message.endsWith("Attempting again with HTTP."))
            || message.startsWith("Skipping manifest existence check"));
  }

  /** How jib's events name a blob (its {@code BlobDescriptor#toString}). */
  private static final Pattern BLOB = Pattern.compile("digest: (\\S+), size: (-?\\d+)");

  /** Where the image goes. */
  public sealed interface Target {
    /** The image reference written, for the result and for messages. */
    String imageReference();

    /** The registry host named in messages. */
    String registryHost();
  }

  /**
   * A registry push; {@code insecure} allows plain http (and sending credentials over it).
   *
   * @param username null for anonymous
   */
  public record Registry(String imageReference, String username, String password, boolean insecure)
      implements Target {
    @Override
    public String registryHost() {
      return hostOf(imageReference);
    }

    @Override
    public String toString() {
      return "Registry[" + imageReference + ", user=" + username + ", insecure=" + insecure + "]";
    }
  }

  /** A Docker-format image tar, loadable with {@code docker load}. */
  public record Tar(Path file, String imageReference) implements Target {
    @Override
    public String registryHost() {
      return hostOf(imageReference);
    }
  }

  private static final ThreadFactory THREADS =
      runnable -> {
        Thread thread = new Thread(runnable, "grove-jib");
        thread.setDaemon(true);
        return thread;
      };

  private final ExecutorService executor;
  private final Path cacheDirectory;

  /**
   * @param executor jib's threads, or null for jib's own
   * @param cacheDirectory where jib caches base and application layers, or null for jib's default
   */
  public JibBuilder(ExecutorService executor, Path cacheDirectory) {
    this.executor = executor;
    this.cacheDirectory = cacheDirectory;
  }

  /** Builds {@code plan} into {@code target}. */
  public BuildResult build(
      JibContainerBuilder plan, Target target, LogSink log, Cancellation cancellation)
      throws ActionException {
    Containerizer containerizer = containerizer(target);
    // jib times every blob push, skipped or not, and logs the skipped ones; both name the blob
    // as "digest: sha256:..., size: N"
    Map<String, Long> attempted = new ConcurrentHashMap<>();
    Set<String> reused = ConcurrentHashMap.newKeySet();
    Thread caller = Thread.currentThread();
    RegistryWatch registryWatch = new RegistryWatch(target, caller);
    containerizer
        .setToolName("grove")
        .addEventHandler(
            TimerEvent.class,
            event -> {
              if (event.getState() == TimerEvent.State.START
                  && event.getDescription().startsWith("Pushing BLOB ")) {
                Matcher blob = BLOB.matcher(event.getDescription());
                if (blob.find()) {
                  attempted.put(blob.group(1), Long.parseLong(blob.group(2)));
                } else {
                  attempted.put(event.getDescription(), 0L);
                }
              }
            })
        .addEventHandler(
            LogEvent.class,
            event -> {
              String message = event.getMessage();
              if (message.endsWith(" failed and will be retried")) {
                registryWatch.requestFailed();
              }
              if (message.startsWith("Skipping push; BLOB already exists")) {
                Matcher blob = BLOB.matcher(message);
                reused.add(blob.find() ? blob.group(1) : message);
              }
              if (event.getLevel().compareTo(LogEvent.Level.INFO) <= 0
                  && !expectedForInsecure(message, target)) {
                log.line(
                    event.getLevel().compareTo(LogEvent.Level.WARN) <= 0
                        ? LogSink.STDERR
                        : LogSink.STDOUT,
                    scrub(message, target));
              }
            });
    if (cancellation.isCancelled()) {
      throw cancelled(cancellation, target);
    }
    // jib's own pool outlives an interrupted build; one of ours can be stopped with it
    ExecutorService pool = executor != null ? executor : Executors.newCachedThreadPool(THREADS);
    containerizer.setExecutorService(pool);
    if (cacheDirectory != null) {
      containerizer
          .setBaseImageLayersCache(cacheDirectory.resolve("base"))
          .setApplicationLayersCache(cacheDirectory.resolve("application"));
    }
    Runnable interrupt = caller::interrupt;
    cancellation.onCancel(interrupt);
    try {
      JibContainer container = plan.containerize(containerizer);
      if (cancellation.isCancelled()) {
        throw cancelled(cancellation, target);
      }
      boolean pushed = target instanceof Registry;
      long bytes = 0;
      int uploaded = 0;
      for (Map.Entry<String, Long> blob : attempted.entrySet()) {
        if (!reused.contains(blob.getKey())) {
          uploaded++;
          bytes += Math.max(0, blob.getValue());
        }
      }
      return new BuildResult(
          target.imageReference(),
          digest(container, "getDigest"),
          digest(container, "getImageId"),
          pushed ? uploaded : 0,
          pushed ? attempted.size() - uploaded : 0,
          pushed ? bytes : 0);
    } catch (InterruptedException e) {
      throw registryWatch
          .gone()
          .map(gone -> failure(gone, target))
          .orElseGet(() -> cancelled(cancellation, target));
    } catch (Exception e) {
      if (cancellation.isCancelled()) {
        throw cancelled(cancellation, target);
      }
      throw failure(registryWatch.gone().<Exception>map(gone -> gone).orElse(e), target);
    } finally {
      registryWatch.close();
      cancellation.removeListener(interrupt);
      Thread.interrupted(); // a cancel that raced the end of the build must not leak to the pool
      if (pool != executor) {
        pool.shutdownNow();
        // jib's own threads may still be writing its cache after a cancel: wait for them, so
        // nothing touches the cache (or a folder being deleted) once the build has returned.
        try {
          if (!pool.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS)) {
            log.line(LogSink.STDERR, "jib threads were still running 5 s after the build ended");
          }
        } catch (InterruptedException e) {
          Thread.interrupted();
        }
      }
    }
  }

  /**
   * jib's {@code DescriptorDigest} carries Jackson annotations and Jackson is only on jib's runtime
   * classpath here: naming the type fails the build under -Werror. A compile-scope jackson-databind
   * in this module's pom would allow plain calls.
   */
  private static String digest(JibContainer container, String getter)
      throws ReflectiveOperationException {
    return String.valueOf(JibContainer.class.getMethod(getter).invoke(container));
  }

  private static Containerizer containerizer(Target target) throws ActionException {
    try {
      if (target instanceof Registry registry) {
        RegistryImage image = RegistryImage.named(registry.imageReference());
        if (registry.username() != null) {
          image.addCredential(registry.username(), registry.password());
        }
        Containerizer containerizer = Containerizer.to(image);
        if (registry.insecure()) {
          // jib refuses to send credentials over http without this, even to an allowed registry
          System.setProperty("sendCredentialsOverHttp", "true");
          containerizer.setAllowInsecureRegistries(true);
        }
        return containerizer;
      }
      Tar tar = (Tar) target;
      return Containerizer.to(TarImage.at(tar.file()).named(tar.imageReference()));
    } catch (InvalidImageReferenceException e) {
      throw new ActionException(
          ActionCodes.INVALID_SPEC,
          "'" + target.imageReference() + "' is not a valid image reference.",
          "Use registry/repository:tag, e.g. registry.example.com/team/web:v1.");
    }
  }

  private static ActionException cancelled(Cancellation cancellation, Target target) {
    boolean timeout = cancellation.reason() == Cancellation.Reason.TIMEOUT;
    return new ActionException(
        timeout ? ActionCodes.TIMEOUT : ActionCodes.CANCELLED,
        "The image build of "
            + target.imageReference()
            + (timeout ? " timed out." : " was cancelled."),
        timeout ? "Raise the action's timeout." : "Run it again when you need it.");
  }

  /** Maps a jib failure to a code; the message names the registry and never a credential. */
  static ActionException failure(Throwable error, Target target) {
    String host = target.registryHost();
    if (error instanceof RegistryUnauthorizedException unauthorized
        && unauthorized.getImageReference() != null) {
      host = hostOf(unauthorized.getImageReference());
    }
    Integer status = null;
    Throwable network = null;
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof HttpResponseException http && status == null) {
        status = http.getStatusCode();
      }
      if (t instanceof UnknownHostException
          || t instanceof ConnectException
          || t instanceof NoRouteToHostException
          || t instanceof SocketTimeoutException) {
        network = t;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    String detail = scrub(String.valueOf(error.getMessage()), target);
    String lower = detail.toLowerCase(Locale.ROOT);
    if (status != null && status == 403 || lower.contains("403 forbidden")) {
      return new ActionException(
          REGISTRY_FORBIDDEN,
          "Registry " + host + " refused access (403 Forbidden): " + detail,
          "Give the credentials push and pull rights on that repository.");
    }
    if (error instanceof RegistryUnauthorizedException
        || status != null && status == 401
        || lower.contains("unauthorized")) {
      return new ActionException(
          REGISTRY_UNAUTHORIZED,
          "Registry " + host + " did not accept the credentials (401 Unauthorized): " + detail,
          "Check the registry credentials (provider config or docker config.json); for a plain"
              + " http registry also set it as insecure.");
    }
    if (status != null && status == 404
        || lower.contains("manifest_unknown")
        || lower.contains("name_unknown")
        || lower.contains("not found")) {
      return new ActionException(
          REGISTRY_NOT_FOUND,
          "Registry " + host + " has no such image or repository: " + detail,
          "Check the image name and tag in FROM and the deployment registry's namespace.");
    }
    if (network != null
        || error instanceof com.google.cloud.tools.jib.api.InsecureRegistryException) {
      return new ActionException(
          REGISTRY_UNREACHABLE,
          "Registry "
              + host
              + " is unreachable: "
              + (network != null ? scrub(String.valueOf(network), target) : detail),
          error instanceof com.google.cloud.tools.jib.api.InsecureRegistryException
              ? "The registry does not speak https; mark it insecure to use plain http."
              : "Check the registry address, that it is running, and the network or proxy.");
    }
    return new ActionException(
        BUILD_FAILED,
        "Building " + target.imageReference() + " (registry " + host + ") failed: " + detail,
        "Run again with debug logs; if it persists, report it with the log.");
  }

  /** The registry part of a reference ({@code docker.io} when there is none). */
  static String hostOf(String imageReference) {
    try {
      return com.google.cloud.tools.jib.api.ImageReference.parse(imageReference).getRegistry();
    } catch (InvalidImageReferenceException e) {
      int slash = imageReference.indexOf('/');
      return slash < 0 ? imageReference : imageReference.substring(0, slash);
    }
  }

  /**
   * jib retries a failed request for up to a minute (exponential back-off), also when the registry
   * is gone. On a retry this checks, once a second at most, that the registry still accepts a
   * connection; when it refuses one (it stopped) or cannot be reached, the build is interrupted and
   * fails with that cause at once. A registry that still accepts connections gets jib's retries.
   */
  private static final class RegistryWatch implements AutoCloseable {
    private static final int PROBE_TIMEOUT_MS = 2_000;
    private final Target target;
    private final Thread build;
    private final java.util.concurrent.atomic.AtomicLong lastProbe =
        new java.util.concurrent.atomic.AtomicLong(Long.MIN_VALUE);
    private final java.util.concurrent.atomic.AtomicReference<java.io.IOException> gone =
        new java.util.concurrent.atomic.AtomicReference<>();
    private volatile boolean closed;

    RegistryWatch(Target target, Thread build) {
      this.target = target;
      this.build = build;
    }

    void requestFailed() {
      long now = System.nanoTime();
      long last = lastProbe.get();
      if (!(target instanceof Registry)
          || closed
          || last != Long.MIN_VALUE && now - last < 1_000_000_000L
          || !lastProbe.compareAndSet(last, now)) {
        return;
      }
      Thread probe = new Thread(this::probe, "grove-registry-probe");
      probe.setDaemon(true);
      probe.start();
    }

    private void probe() {
      Registry registry = (Registry) target;
      String host = registry.registryHost();
      java.io.IOException failure = null;
      for (int port : ports(host, registry.insecure())) {
        try (java.net.Socket socket = new java.net.Socket()) {
          socket.connect(new java.net.InetSocketAddress(hostName(host), port), PROBE_TIMEOUT_MS);
          return; // it answers: leave the retries to jib
        } catch (java.io.IOException e) {
          failure = e;
        }
      }
      if (failure != null) {
        interruptBuild(failure);
      }
    }

    /** Under the lock close takes: once closed, the build's thread is never interrupted. */
    private synchronized void interruptBuild(java.io.IOException failure) {
      if (!closed && gone.compareAndSet(null, failure)) {
        build.interrupt();
      }
    }

    private static String hostName(String host) {
      int colon = host.lastIndexOf(':');
      return colon > 0 && host.indexOf(']') < colon ? host.substring(0, colon) : host;
    }

    private static java.util.List<Integer> ports(String host, boolean insecure) {
      int colon = host.lastIndexOf(':');
      if (colon > 0 && host.indexOf(']') < colon) {
        try {
          return java.util.List.of(Integer.parseInt(host.substring(colon + 1)));
        } catch (NumberFormatException e) {
          return java.util.List.of();
        }
      }
      return insecure ? java.util.List.of(443, 80) : java.util.List.of(443);
    }

    /** Why the registry is taken as gone, if the probe found it so. */
    java.util.Optional<java.io.IOException> gone() {
      return java.util.Optional.ofNullable(gone.get());
    }

    @Override
    public synchronized void close() {
      closed = true;
    }
  }

  private static final Pattern ANSI = Pattern.compile("\\u001B\\[[0-?]*[ -/]*[@-~]|\\u001B[@-_]");

  /**
   * Removes the password and anything that looks like a token from a message, and terminal escape
   * sequences (colours), which must reach neither events nor text output.
   */
  static String scrub(String message, Target target) {
    String out = ANSI.matcher(message).replaceAll("");
    if (target instanceof Registry registry
        && registry.password() != null
        && !registry.password().isEmpty()) {
      out = out.replace(registry.password(), "***");
    }
    return out.replaceAll("(?i)(bearer|basic)\\s+[A-Za-z0-9._~+/=-]+", "$1 ***");
  }
}
