package dev.weir.dsl;

import java.util.List;

/**
 * Something that can stand on either side of {@code >>}: a task or a group of tasks. Groovy calls
 * {@code rightShift} for {@code >>} and {@code leftShift} for {@code <<}.
 */
public abstract class Node {

  abstract DagBuilder dag();

  /** Ids that become upstream when this node stands left of {@code >>}. */
  abstract List<String> exitIds();

  /** Ids that become downstream when this node stands right of {@code >>}. */
  abstract List<String> entryIds();

  /** A description for error messages, such as {@code task 'load'}. */
  abstract String label();

  /**
   * {@code a >> b}: makes {@code b} (a task, group or list of them) downstream of this; returns b.
   */
  public Object rightShift(Object downstream) {
    Dependencies.connect(this, downstream, ">>");
    return downstream;
  }

  /** {@code a << b}: makes {@code b} upstream of this; returns b. */
  public Object leftShift(Object upstream) {
    Dependencies.connect(upstream, this, "<<");
    return upstream;
  }

  /** Makes {@code downstream} (a task, group or list of them) downstream of this. */
  public void setDownstream(Object downstream) {
    Dependencies.connect(this, downstream, "setDownstream");
  }

  /** Makes {@code upstream} (a task, group or list of them) upstream of this. */
  public void setUpstream(Object upstream) {
    Dependencies.connect(upstream, this, "setUpstream");
  }

  @Override
  public String toString() {
    return label();
  }
}
