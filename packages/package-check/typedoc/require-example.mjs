// TypeDoc plugin: every export of a published entry point shows how it is used. TypeDoc's own
// `notDocumented` check wants a comment; this one also wants an `@example` in it, the house
// rule for public exports. Re-exports (an adapter re-exporting core's `createVerifier`) are
// checked where they are declared.
import { Application, ReflectionKind } from 'typedoc';

const EXPORT_KINDS =
  ReflectionKind.Class |
  ReflectionKind.Interface |
  ReflectionKind.TypeAlias |
  ReflectionKind.Function |
  ReflectionKind.Variable |
  ReflectionKind.Enum;

function hasExample(reflection) {
  const comments = [reflection.comment, ...(reflection.signatures ?? []).map((s) => s.comment)];
  return comments.some((comment) => comment?.getTag('@example') !== undefined);
}

/** @param {Application} app */
export function load(app) {
  app.on(Application.EVENT_VALIDATE_PROJECT, (project) => {
    for (const module of project.getChildrenByKind(ReflectionKind.Module)) {
      for (const reflection of module.getChildrenByKind(EXPORT_KINDS)) {
        if (!hasExample(reflection))
          app.logger.warn(`${reflection.getFullName()} has no @example in its doc comment`);
      }
    }
  });
}
