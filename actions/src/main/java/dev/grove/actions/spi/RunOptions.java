package dev.grove.actions.spi;

/**
 * What the user asked of one run beyond its actions, as an {@link ActionContext#extension}.
 *
 * @param keepPods leave the pods of in-cluster Tests and Runs after they ran ({@code --keep-pod})
 */
public record RunOptions(boolean keepPods) {
  /** The defaults: pods are deleted after they ran. */
  public static final RunOptions DEFAULT = new RunOptions(false);

  /** The context's, or the defaults. */
  public static RunOptions of(ActionContext context) {
    return context.extension(RunOptions.class).orElse(DEFAULT);
  }
}
