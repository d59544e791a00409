package dev.grove.actions.spi;

import dev.grove.api.action.ActionKind;
import java.util.Set;

/** The fixed facts of an action type; subclasses add what is particular to them. */
public abstract class BaseActionType implements ActionType {
  private final ActionKind kind;
  private final String type;
  private final Schema.Obj specSchema;
  private final Set<String> runtimeOutputs;

  protected BaseActionType(
      ActionKind kind, String type, Schema.Obj specSchema, Set<String> runtimeOutputs) {
    this.kind = kind;
    this.type = type;
    this.specSchema = specSchema;
    this.runtimeOutputs = Set.copyOf(runtimeOutputs);
  }

  @Override
  public final ActionKind kind() {
    return kind;
  }

  @Override
  public final String type() {
    return type;
  }

  @Override
  public final Schema.Obj specSchema() {
    return specSchema;
  }

  @Override
  public final Set<String> runtimeOutputs() {
    return runtimeOutputs;
  }
}
