export function casePeopleOptions(c) {
    return c
        .option("--social-worker <person>", "the child's social worker: a person id in the directory")
        .option("--line-manager <person>", "the social worker's line manager: a person id in the directory");
}
export function casePeopleOf(o) {
    const named = {
        ...(o.socialWorker ? { social_worker: o.socialWorker } : {}),
        ...(o.lineManager ? { social_worker_line_manager: o.lineManager } : {}),
    };
    return Object.keys(named).length ? named : undefined;
}
//# sourceMappingURL=case-people.js.map