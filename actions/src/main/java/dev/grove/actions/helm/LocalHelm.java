package dev.grove.actions.helm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.marcnuri.helm.jni.HelmLib;
import com.marcnuri.helm.jni.HistoryOptions;
import com.marcnuri.helm.jni.LintOptions;
import com.marcnuri.helm.jni.PackageOptions;
import com.marcnuri.helm.jni.PushOptions;
import com.marcnuri.helm.jni.RepoOptions;
import com.marcnuri.helm.jni.Result;
import com.marcnuri.helm.jni.TemplateOptions;
import com.marcnuri.helm.jni.UninstallOptions;
import com.marcnuri.helm.jni.UpgradeOptions;
import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionException;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.Yaml;

/**
 * Helm's operations done by helm-java in this JVM. Only {@link HelmWorker} uses it in production:
 * once Helm's Go code is stuck in a call nothing but SIGKILL ends the JVM, so it must not be the
 * daemon's. {@code bounds} are the caller's business here (the worker's parent enforces them).
 */
final class LocalHelm implements HelmOps {
  private static final int MAX_MESSAGE = 4_000;

  private final HelmHome home;
  private final Supplier<HelmLib> lib;
  private final Set<String> loggedIn = ConcurrentHashMap.newKeySet();
  private final Set<String> reposReady = ConcurrentHashMap.newKeySet();

  /** Loads the native library (from {@code home}'s cache) on the first call. */
  LocalHelm(HelmHome home) {
    this.home = home;
    this.lib = memoize(() -> NativeHelm.load(home.libraries()));
  }

  @Override
  public String template(
      ChartRef chart,
      String releaseName,
      String namespace,
      Values values,
      List<RegistryLogin> logins,
      Bounds bounds)
      throws ActionException {
    String resolved = resolve(chart, logins);
    boolean plainHttp = plainHttp(chart, logins);
    return withValues(
        values,
        files ->
            call(
                    "helm template of chart " + chart.chart(),
                    helm ->
                        helm.Template(
                            new TemplateOptions(
                                releaseName,
                                chart.version().orElse(null),
                                resolved,
                                namespace,
                                null,
                                0,
                                0,
                                null,
                                null,
                                files,
                                null,
                                null,
                                null,
                                0,
                                flag(plainHttp),
                                null,
                                0,
                                home.repositoryConfig().toString())))
                .out);
  }

  @Override
  public Release upgradeInstall(
      ChartRef chart,
      String releaseName,
      String namespace,
      Values values,
      String description,
      boolean atomic,
      boolean wait,
      Duration timeout,
      Cluster cluster,
      List<RegistryLogin> logins,
      Bounds bounds)
      throws ActionException {
    String resolved = resolve(chart, logins);
    boolean plainHttp = plainHttp(chart, logins);
    String out =
        withKubeconfig(
            cluster,
            kubeconfig ->
                withValues(
                    values,
                    files ->
                        call(
                                "helm upgrade of release " + releaseName,
                                helm ->
                                    helm.Upgrade(
                                        new UpgradeOptions(
                                            releaseName,
                                            chart.version().orElse(null),
                                            resolved,
                                            namespace,
                                            null,
                                            1, // --install
                                            0,
                                            0,
                                            0,
                                            0,
                                            flag(atomic),
                                            0,
                                            0,
                                            description,
                                            0,
                                            0,
                                            0,
                                            0,
                                            null,
                                            0,
                                            flag(wait || atomic),
                                            (int) Math.max(1, timeout.toSeconds()),
                                            null,
                                            null,
                                            files,
                                            kubeconfig,
                                            null,
                                            null,
                                            null,
                                            null,
                                            0,
                                            flag(plainHttp),
                                            null,
                                            0,
                                            0,
                                            home.repositoryConfig().toString())))
                            .out));
    Map<String, String> fields = statusFields(out);
    return new Release(
        fields.getOrDefault("NAME", releaseName),
        fields.getOrDefault("NAMESPACE", namespace),
        parseRevision(fields.get("REVISION")),
        fields.getOrDefault("STATUS", "unknown"),
        fields.getOrDefault("CHART", chart.chart()),
        fields.getOrDefault("APP VERSION", ""),
        description);
  }

  @Override
  public Optional<Release> status(
      String releaseName, String namespace, Cluster cluster, Bounds bounds) throws ActionException {
    List<Release> latest =
        history("helm status of release " + releaseName, releaseName, namespace, cluster, 1);
    return latest.isEmpty() ? Optional.empty() : Optional.of(latest.get(latest.size() - 1));
  }

  @Override
  public List<Release> history(String releaseName, String namespace, Cluster cluster, Bounds bounds)
      throws ActionException {
    return history("helm history of release " + releaseName, releaseName, namespace, cluster, 0);
  }

  private List<Release> history(
      String what, String releaseName, String namespace, Cluster cluster, int max)
      throws ActionException {
    Result result;
    try {
      result =
          withKubeconfig(
              cluster,
              kubeconfig ->
                  call(
                      what,
                      helm ->
                          helm.History(
                              new HistoryOptions(releaseName, max, namespace, kubeconfig, null))));
    } catch (ActionException e) {
      if (e.getMessage().contains("release: not found")) {
        return List.of();
      }
      throw e;
    }
    List<Release> releases = new ArrayList<>();
    for (Map<String, String> entry : urlEncodedLines(result.out)) {
      releases.add(
          new Release(
              releaseName,
              namespace,
              parseRevision(entry.get("revision")),
              entry.getOrDefault("status", "unknown"),
              entry.getOrDefault("chart", ""),
              entry.getOrDefault("appVersion", ""),
              entry.getOrDefault("description", "")));
    }
    releases.sort((a, b) -> Integer.compare(a.revision(), b.revision()));
    return releases;
  }

  @Override
  public boolean uninstall(String releaseName, String namespace, Cluster cluster, Bounds bounds)
      throws ActionException {
    try {
      withKubeconfig(
          cluster,
          kubeconfig ->
              call(
                  "helm uninstall of release " + releaseName,
                  helm ->
                      helm.Uninstall(
                          new UninstallOptions(
                              releaseName, 0, 0, 0, 0, null, namespace, kubeconfig, null, 0))));
      return true;
    } catch (ActionException e) {
      if (e.getMessage().contains("release: not found")) {
        return false;
      }
      throw e;
    }
  }

  @Override
  public Path packageChart(Path chartDir, Path destination, Bounds bounds) throws ActionException {
    try {
      Files.createDirectories(destination);
    } catch (IOException e) {
      throw new ActionException(
          ActionCodes.HELM_FAILED,
          "Could not create " + destination + " for the chart package: " + e.getMessage(),
          "Check that the folder can be written");
    }
    call(
        "helm package of chart " + chartDir,
        helm ->
            helm.Package(
                new PackageOptions(
                    chartDir.toAbsolutePath().toString(),
                    destination.toAbsolutePath().toString(),
                    0,
                    null,
                    null,
                    null)));
    // Helm names the package NAME-VERSION.tgz, from the chart's Chart.yaml
    Path made = null;
    try {
      Map<?, ?> chart = new Yaml().load(Files.readString(chartDir.resolve("Chart.yaml")));
      made = destination.resolve(chart.get("name") + "-" + chart.get("version") + ".tgz");
    } catch (IOException | RuntimeException e) {
      // reported below
    }
    if (made == null || !Files.isRegularFile(made)) {
      throw new ActionException(
          ActionCodes.HELM_FAILED,
          "helm package of chart " + chartDir + " made no NAME-VERSION.tgz in " + destination,
          "Check the chart's Chart.yaml (name and version)");
    }
    return made;
  }

  @Override
  public void push(Path chartPackage, String remote, List<RegistryLogin> logins, Bounds bounds)
      throws ActionException {
    Optional<RegistryLogin> login = loginFor(remote, logins);
    if (login.isPresent()) {
      login(login.get());
    }
    call(
        "helm push of " + chartPackage.getFileName() + " to " + remote,
        helm ->
            helm.Push(
                new PushOptions(
                    chartPackage.toAbsolutePath().toString(),
                    remote,
                    null,
                    null,
                    null,
                    0,
                    flag(login.map(RegistryLogin::plainHttp).orElse(false)),
                    0)));
  }

  @Override
  public Lint lint(Path chartDir, Values values, Bounds bounds) throws ActionException {
    String out =
        call(
                "helm lint of chart " + chartDir,
                helm -> helm.Lint(new LintOptions(chartDir.toAbsolutePath().toString(), 0, 0)))
            .out;
    List<String> messages = new ArrayList<>();
    boolean failed = false;
    for (String line : (out == null ? "" : out).split("\n")) {
      String trimmed = line.trim();
      if (trimmed.startsWith("Failed:")) {
        failed |= trimmed.endsWith("true");
      } else if (!trimmed.isEmpty()) {
        messages.add(trimmed);
      }
    }
    // helm-java's lint takes no values: render with them, so a value the chart cannot use counts
    if (!values.valueFiles().isEmpty() || !values.valuesYaml().isBlank()) {
      try {
        template(ChartRef.local(chartDir), "lint", "default", values, List.of(), bounds);
      } catch (ActionException e) {
        messages.add("[ERROR] " + e.getMessage());
        failed = true;
      }
    }
    return new Lint(messages, failed);
  }

  @Override
  public void close() {
    // the library stays mapped until the process ends; nothing to release per call
  }

  // -- charts, repositories and registries

  private String resolve(ChartRef chart, List<RegistryLogin> logins) throws ActionException {
    if (chart.repo().isPresent()) {
      String name = repositoryName(chart.repo().get());
      addRepository(name, chart.repo().get());
      return name + "/" + chart.chart();
    }
    if (chart.chart().startsWith("oci://")) {
      Optional<RegistryLogin> login = loginFor(chart.chart(), logins);
      if (login.isPresent()) {
        login(login.get());
      }
    }
    return chart.chart();
  }

  /** The name Grove's repository config gives a repository URL: stable, readable, unique. */
  static String repositoryName(String url) {
    String host = URI.create(url.strip()).getHost();
    String readable =
        (host == null ? "repo" : host).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    return "grove-" + readable + "-" + Integer.toHexString(url.strip().hashCode());
  }

  private void addRepository(String name, String url) throws ActionException {
    if (reposReady.contains(name)) {
      return;
    }
    String what = "helm repo add of " + url;
    RepoOptions options =
        new RepoOptions(
            home.repositoryConfig().toString(), name, name, url, null, null, null, null, null, 0);
    call(what, helm -> helm.RepoAdd(options));
    // an entry a previous worker added is skipped by repo add: fetch its index again
    call("helm repo update of " + url, helm -> helm.RepoUpdate(options));
    reposReady.add(name);
  }

  private static Optional<RegistryLogin> loginFor(String reference, List<RegistryLogin> logins) {
    String rest = reference.replaceFirst("^oci://", "");
    int slash = rest.indexOf('/');
    String host = slash < 0 ? rest : rest.substring(0, slash);
    return logins.stream().filter(login -> login.host().equals(host)).findFirst();
  }

  private static boolean plainHttp(ChartRef chart, List<RegistryLogin> logins) {
    return chart.chart().startsWith("oci://")
        && loginFor(chart.chart(), logins).map(RegistryLogin::plainHttp).orElse(false);
  }

  /**
   * Records the login in Grove's registry config, as {@code helm registry login} would, without its
   * network check: helm-java's login always tries HTTPS (a plain-HTTP registry such as the
   * sandbox's then fails after minutes of TLS handshake timeouts), and a wrong password fails the
   * pull that follows just as well.
   */
  private synchronized void login(RegistryLogin login) throws ActionException {
    String key = login.host() + "\n" + login.username() + "\n" + login.password().hashCode();
    if (loggedIn.contains(key)) {
      return;
    }
    Path config = home.registryConfig();
    try {
      Files.createDirectories(config.getParent());
      ObjectNode root =
          Files.isRegularFile(config)
              ? (ObjectNode) HelmProtocol.JSON.readTree(config.toFile())
              : HelmProtocol.JSON.createObjectNode();
      ObjectNode auths =
          root.get("auths") instanceof ObjectNode existing ? existing : root.putObject("auths");
      auths
          .putObject(login.host())
          .put(
              "auth",
              Base64.getEncoder()
                  .encodeToString(
                      (login.username() + ":" + login.password())
                          .getBytes(StandardCharsets.UTF_8)));
      Path partial = Files.createTempFile(config.getParent(), "config", ".partial");
      Files.writeString(partial, HelmProtocol.JSON.writeValueAsString(root));
      Files.move(
          partial, config, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | ClassCastException e) {
      throw new ActionException(
          ActionCodes.HELM_FAILED,
          "Could not record the login to " + login.host() + " in " + config + ": " + e.getMessage(),
          "Check that Grove's home folder can be written; delete " + config + " if it is damaged");
    }
    loggedIn.add(key);
  }

  // -- values

  private interface WithFiles<T> {
    T apply(String valuesFiles) throws ActionException;
  }

  /** Runs {@code body} with the values files as Helm takes them: inline values written last. */
  private <T> T withValues(Values values, WithFiles<T> body) throws ActionException {
    List<String> files = new ArrayList<>();
    values.valueFiles().forEach(file -> files.add(file.toAbsolutePath().toString()));
    if (values.valuesYaml().isBlank()) {
      return body.apply(files.isEmpty() ? null : String.join(",", files));
    }
    return withScratch(
        "values-",
        values.valuesYaml(),
        "the release's values",
        inline -> {
          files.add(inline);
          return body.apply(String.join(",", files));
        });
  }

  /**
   * Runs {@code body} with the kubeconfig in a file of its own: helm-java's {@code upgrade
   * --install} of a release that does not exist yet ignores kubeconfig contents (it dials
   * localhost:8080), a file it reads in every call.
   */
  private <T> T withKubeconfig(Cluster cluster, WithFiles<T> body) throws ActionException {
    return withScratch("kubeconfig-", cluster.kubeconfig(), "the cluster's kubeconfig", body);
  }

  /** Runs {@code body} with {@code content} in an owner-only file of Grove's scratch folder. */
  private <T> T withScratch(String prefix, String content, String what, WithFiles<T> body)
      throws ActionException {
    Path file = null;
    try {
      Files.createDirectories(home.scratch());
      file =
          Files.createTempFile(
              home.scratch(),
              prefix,
              ".yaml",
              java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                  java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, content);
      return body.apply(file.toString());
    } catch (IOException e) {
      throw new ActionException(
          ActionCodes.HELM_FAILED,
          "Could not write " + what + " under " + home.scratch() + ": " + e.getMessage(),
          "Check that Grove's home folder can be written");
    } finally {
      if (file != null) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException ignored) {
          // a leftover in Grove's scratch folder, overwritten by name never
        }
      }
    }
  }

  // -- calls

  private interface Call {
    Result run(HelmLib helm);
  }

  private Result call(String what, Call call) throws ActionException {
    HelmLib helm;
    try {
      helm = lib.get();
    } catch (RuntimeException | LinkageError e) {
      throw new ActionException(
          ActionCodes.HELM_UNAVAILABLE,
          "Helm could not be loaded for " + what + ": " + e.getMessage(),
          "Check that Grove's home folder can be written and that this platform is one helm-java"
              + " supports (linux/darwin/windows, amd64/arm64)");
    }
    Result result = call.run(helm);
    helm.Free(result);
    if (result.err != null && !result.err.isBlank()) {
      throw failure(what, result.err);
    }
    return result;
  }

  /** Helm's error, cleaned up (one line, bounded), with what to do. */
  static ActionException failure(String what, String err) {
    String message = err.strip().replaceFirst("^Error: ", "").replaceAll("\\s*\\n\\s*", "; ");
    if (message.length() > MAX_MESSAGE) {
      message = message.substring(0, MAX_MESSAGE) + " ...";
    }
    return new ActionException(
        ActionCodes.HELM_FAILED, what + " failed: " + message, suggestion(message));
  }

  private static String suggestion(String message) {
    String lower = message.toLowerCase(Locale.ROOT);
    if (lower.contains("kubernetes cluster unreachable")) {
      return "Check that the cluster is running and reachable with the environment's kubeconfig"
          + " context";
    }
    if (lower.contains("no such host")
        || lower.contains("connection refused")
        || lower.contains("i/o timeout")
        || lower.contains("network is unreachable")
        || lower.contains("tls handshake timeout")
        || lower.contains("looks like") && lower.contains("is not a valid chart repository")) {
      return "Check that the chart's repository or registry is reachable from this machine"
          + " (network, VPN, proxy); offline, use a chart from a local path";
    }
    if (lower.contains("unauthorized") || lower.contains("denied")) {
      return "Check the registry credentials Grove was given for the chart's registry";
    }
    if (lower.contains("parse error") || lower.contains("template:")) {
      return "Fix the chart template or the values Helm names";
    }
    if (lower.contains("not found") || lower.contains("no chart")) {
      return "Check the chart's name, version and repository";
    }
    return "Fix what Helm reports, then deploy again";
  }

  // -- Helm's output

  private static Map<String, String> statusFields(String out) {
    Map<String, String> fields = new HashMap<>();
    if (out == null) {
      return fields;
    }
    for (String line : out.split("\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).equals(line.substring(0, colon).toUpperCase())) {
        fields.putIfAbsent(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
      }
    }
    return fields;
  }

  private static List<Map<String, String>> urlEncodedLines(String out) {
    if (out == null || out.isBlank()) {
      return List.of();
    }
    List<Map<String, String>> lines = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (!line.isBlank()) {
        lines.add(
            java.util.Arrays.stream(line.split("&"))
                .map(pair -> pair.split("=", 2))
                .filter(pair -> pair.length == 2)
                .collect(
                    Collectors.toMap(
                        pair -> decode(pair[0]), pair -> decode(pair[1]), (a, b) -> b)));
      }
    }
    return lines;
  }

  private static String decode(String text) {
    return URLDecoder.decode(text, StandardCharsets.UTF_8);
  }

  private static int parseRevision(String text) {
    try {
      return text == null ? 0 : Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static int flag(boolean value) {
    return value ? 1 : 0;
  }

  private static <T> Supplier<T> memoize(Supplier<T> supplier) {
    return new Supplier<>() {
      private T value;

      @Override
      public synchronized T get() {
        if (value == null) {
          value = supplier.get();
        }
        return value;
      }
    };
  }
}
