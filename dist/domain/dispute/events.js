export const EVENT_TYPES = [
    "raised",
    "response_recorded",
    "extension_agreed",
    "escalated",
    "cafcass_consulted",
    "cafcass_referral_considered",
    "referred_to_cafcass",
    "resolved",
    "withdrawn",
];
/** Consulting Cafcass Legal satisfies this requirement id wherever a stage names it. */
export const CAFCASS_CONSULTATION_REQUIREMENT = "consult_cafcass_legal";
//# sourceMappingURL=events.js.map