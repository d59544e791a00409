package dev.grove.actions.kube;

import static dev.grove.actions.spi.ActionCodes.KUBE_CONFIG;

import dev.grove.actions.provider.KubernetesProvider;
import dev.grove.actions.spi.ActionException;
import dev.grove.api.project.UserFiles;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Finds the kubeconfig and context as kubectl does, from the invoking shell's environment: the
 * provider's {@code kubeconfig} (relative to the project), else the first file of {@code
 * KUBECONFIG}, else {@code ~/.kube/config}; the provider's {@code context}, else the file's current
 * context. Errors name the file, the context and what to do.
 */
public final class KubeConfigResolver {
  /** Starts the sandbox for a project whose context is {@code grove-sandbox} (the daemon's). */
  @FunctionalInterface
  public interface SandboxStarter {
    void start(Map<String, String> env, java.util.function.Consumer<String> say)
        throws ActionException;
  }

  /** Where a cluster is: the kubeconfig file, the context in it, and fabric8's config. */
  public record Target(Path kubeconfig, String context, Config config) {}

  private KubeConfigResolver() {}

  public static Target resolve(
      KubernetesProvider provider, Path projectRoot, Map<String, String> env)
      throws ActionException {
    return resolve(provider, projectRoot, env, line -> {}, null);
  }

  /**
   * As {@link #resolve(KubernetesProvider, Path, Map)}; the {@code grove-sandbox} context (with no
   * kubeconfig of the provider's own) is the sandbox's, started by {@code sandbox} when it is not
   * running, which {@code say} tells.
   */
  public static Target resolve(
      KubernetesProvider provider,
      Path projectRoot,
      Map<String, String> env,
      java.util.function.Consumer<String> say,
      SandboxStarter sandbox)
      throws ActionException {
    Path file = kubeconfigFile(provider, projectRoot, env);
    if (usesSandbox(provider, env)) {
      file = SandboxFiles.kubeconfig(env);
      ensureSandbox(provider, env, say, sandbox);
    }
    String text;
    try {
      text = UserFiles.readText(file);
    } catch (UserFiles.UnreadableException e) {
      throw new ActionException(
          KUBE_CONFIG,
          "Cannot read the kubeconfig " + file + ": " + e.getMessage() + ".",
          "Point the kubernetes provider's `kubeconfig` (or KUBECONFIG) at a kubeconfig file, or"
              + " create one (`gcloud container clusters get-credentials ...`, `kind create"
              + " cluster`), or run `grove sandbox up` for a local cluster.");
    }
    io.fabric8.kubernetes.api.model.Config parsed;
    try {
      parsed = KubeConfigUtils.parseConfigFromString(text);
    } catch (RuntimeException e) {
      throw new ActionException(
          KUBE_CONFIG,
          "The kubeconfig " + file + " is not valid YAML of a kubeconfig.",
          "Check the file with `kubectl config view --kubeconfig " + file + "`.");
    }
    List<String> contexts =
        parsed.getContexts() == null
            ? List.of()
            : parsed.getContexts().stream().map(NamedContext::getName).toList();
    String context = provider.context().orElse(parsed.getCurrentContext());
    if (context == null || context.isBlank()) {
      throw new ActionException(
          KUBE_CONFIG,
          "The kubeconfig " + file + " has no current context and the provider names none.",
          contexts.isEmpty()
              ? "Add a context to the kubeconfig."
              : "Set the kubernetes provider's `context` to one of: "
                  + String.join(", ", contexts)
                  + ".");
    }
    if (!contexts.contains(context)) {
      throw new ActionException(
          KUBE_CONFIG,
          "The context `" + context + "` is not in the kubeconfig " + file + ".",
          contexts.isEmpty()
              ? "The file has no contexts: create one, or point KUBECONFIG elsewhere."
              : "Its contexts: "
                  + String.join(", ", contexts)
                  + ". Set the kubernetes provider's `context` to one of them.");
    }
    Config config;
    try {
      config = Config.fromKubeconfig(context, file.toFile());
    } catch (RuntimeException e) {
      throw new ActionException(
          KUBE_CONFIG,
          "The context `" + context + "` of " + file + " cannot be used: " + e.getMessage(),
          "Check it with `kubectl --context " + context + " cluster-info`.");
    }
    config.setConnectionTimeout(5_000);
    config.setRequestTimeout(10_000);
    config.setRequestRetryBackoffLimit(0);
    return new Target(file, context, config);
  }

  /**
   * Whether the project's cluster is the sandbox: the provider names its context (and no kubeconfig
   * of its own), or it is {@code local-kubernetes} with no {@code context} and there is no cluster
   * in the kubeconfig (Garden would pick a local one; the sandbox is Grove's embedded default).
   */
  public static boolean usesSandbox(KubernetesProvider provider, Map<String, String> env) {
    if (provider.usesSandbox(SandboxFiles.CONTEXT)) {
      return true;
    }
    return provider.name().equals(KubernetesProvider.LOCAL_KUBERNETES)
        && provider.context().isEmpty()
        && provider.kubeconfig().isEmpty()
        && !hasContexts(kubeconfigFile(provider, null, env));
  }

  /** False when the file is absent or names no context; true when it cannot be read (reported). */
  private static boolean hasContexts(Path file) {
    if (!java.nio.file.Files.exists(file)) {
      return false;
    }
    try {
      List<NamedContext> contexts =
          KubeConfigUtils.parseConfigFromString(UserFiles.readText(file)).getContexts();
      return contexts != null && !contexts.isEmpty();
    } catch (UserFiles.UnreadableException | RuntimeException e) {
      return true; // resolve() reports what is wrong with it
    }
  }

  /**
   * Starts the sandbox when the provider uses it and it is not running (once, however many actions
   * ask at the same time); {@code say} tells the user.
   */
  public static synchronized void ensureSandbox(
      KubernetesProvider provider,
      Map<String, String> env,
      java.util.function.Consumer<String> say,
      SandboxStarter starter)
      throws ActionException {
    if (!usesSandbox(provider, env) || SandboxFiles.running(env)) {
      return;
    }
    if (starter == null) {
      throw new ActionException(
          KUBE_CONFIG,
          "The context `grove-sandbox` is Grove's sandbox, and it is not running.",
          "Run `grove sandbox up`.");
    }
    say.accept("The sandbox is not running: starting it (grove sandbox up)...");
    starter.start(env, say);
  }

  static Path kubeconfigFile(
      KubernetesProvider provider, Path projectRoot, Map<String, String> env) {
    if (provider.kubeconfig().isPresent()) {
      return projectRoot.resolve(expandHome(provider.kubeconfig().get(), env)).normalize();
    }
    String variable = env.get("KUBECONFIG");
    if (variable != null && !variable.isBlank()) {
      for (String entry : variable.split(java.io.File.pathSeparator)) {
        if (!entry.isBlank()) {
          return Path.of(expandHome(entry, env));
        }
      }
    }
    String home = env.getOrDefault("HOME", System.getProperty("user.home"));
    return Path.of(home, ".kube", "config");
  }

  private static String expandHome(String path, Map<String, String> env) {
    if (path.equals("~") || path.startsWith("~/")) {
      return env.getOrDefault("HOME", System.getProperty("user.home")) + path.substring(1);
    }
    return path;
  }
}
