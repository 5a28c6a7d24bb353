package dev.weir.dsl;

import org.codehaus.groovy.ast.ClassCodeExpressionTransformer;
import org.codehaus.groovy.ast.ClassHelper;
import org.codehaus.groovy.ast.ClassNode;
import org.codehaus.groovy.ast.expr.ArgumentListExpression;
import org.codehaus.groovy.ast.expr.BinaryExpression;
import org.codehaus.groovy.ast.expr.ClassExpression;
import org.codehaus.groovy.ast.expr.ClosureExpression;
import org.codehaus.groovy.ast.expr.Expression;
import org.codehaus.groovy.ast.expr.ListExpression;
import org.codehaus.groovy.ast.expr.MethodCallExpression;
import org.codehaus.groovy.ast.expr.MethodPointerExpression;
import org.codehaus.groovy.ast.expr.StaticMethodCallExpression;
import org.codehaus.groovy.classgen.GeneratorContext;
import org.codehaus.groovy.control.CompilePhase;
import org.codehaus.groovy.control.SourceUnit;
import org.codehaus.groovy.control.customizers.CompilationCustomizer;
import org.codehaus.groovy.control.messages.SyntaxErrorMessage;
import org.codehaus.groovy.syntax.SyntaxException;
import org.codehaus.groovy.syntax.Types;

/**
 * Compile-time rules for DAG scripts. A script that would end the JVM is rejected with its line,
 * and {@code [a, b] << c} on a list literal means "c upstream of a and b" instead of appending c.
 */
final class ScriptRules extends CompilationCustomizer {

  ScriptRules() {
    super(CompilePhase.CANONICALIZATION);
  }

  @Override
  public void call(SourceUnit source, GeneratorContext context, ClassNode classNode) {
    new Transformer(source).visitClass(classNode);
  }

  private static final class Transformer extends ClassCodeExpressionTransformer {
    private final SourceUnit source;

    Transformer(SourceUnit source) {
      this.source = source;
    }

    @Override
    protected SourceUnit getSourceUnit() {
      return source;
    }

    @Override
    public Expression transform(Expression expression) {
      if (expression == null) {
        return null; // a field without an initial value, in a class of the script or of lib/
      }
      if (expression instanceof ClosureExpression closure) {
        closure.getCode().visit(this);
        return closure;
      }
      if (expression instanceof BinaryExpression binary
          && binary.getOperation().getType() == Types.LEFT_SHIFT
          && binary.getLeftExpression() instanceof ListExpression) {
        StaticMethodCallExpression call =
            new StaticMethodCallExpression(
                ClassHelper.make(DslExtensions.class),
                "upstreamOfAll",
                new ArgumentListExpression(
                    transform(binary.getLeftExpression()), transform(binary.getRightExpression())));
        call.setSourcePosition(binary);
        return call;
      }
      if (expression instanceof MethodCallExpression call && endsJvm(call)) {
        reject(expression, call.getMethodAsString());
      } else if (expression instanceof MethodPointerExpression pointer
          && isClass(pointer.getExpression(), "java.lang.System", "java.lang.Runtime")) {
        String name = pointer.getMethodName().getText();
        if (name.equals("exit") || name.equals("halt")) {
          reject(expression, name);
        }
      }
      return expression.transformExpression(this);
    }

    private static boolean endsJvm(MethodCallExpression call) {
      String name = call.getMethodAsString();
      if ("exit".equals(name) && isClass(call.getObjectExpression(), "java.lang.System")) {
        return true;
      }
      // Runtime.getRuntime().exit(…) or .halt(…)
      return ("exit".equals(name) || "halt".equals(name))
          && call.getObjectExpression() instanceof MethodCallExpression inner
          && "getRuntime".equals(inner.getMethodAsString())
          && isClass(inner.getObjectExpression(), "java.lang.Runtime");
    }

    private static boolean isClass(Expression expression, String... names) {
      if (!(expression instanceof ClassExpression type)) {
        return false;
      }
      for (String name : names) {
        if (type.getType().getName().equals(name)) {
          return true;
        }
      }
      return false;
    }

    private void reject(Expression where, String method) {
      source
          .getErrorCollector()
          .addError(
              new SyntaxErrorMessage(
                  new SyntaxException(
                      "calling "
                          + method
                          + "(…) would stop the whole Weir process; fail the task by throwing an"
                          + " exception instead",
                      where.getLineNumber(),
                      where.getColumnNumber()),
                  source));
    }
  }
}
