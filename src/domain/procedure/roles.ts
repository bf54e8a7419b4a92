// Roles are names, not people: the directory resolves a role to a person for
// a child's team, the team's service, or the whole authority. An authority
// file may give a role its own title (Newham's DCS is the "Corporate Director
// of CYPS") or declare a role of its own.

export const KNOWN_ROLES = {
  // operational line management, lowest first
  social_worker: "Social worker",
  social_worker_line_manager: "Social worker's line manager",
  practice_lead: "Practice lead",
  team_manager: "Team manager",
  service_leader: "Service leader",
  service_manager: "Service manager",
  deputy_head_of_service: "Deputy head of service",
  assistant_head_of_service: "Assistant head of service",
  head_of_service: "Head of service",
  assistant_director: "Assistant director",
  operations_director: "Operations director",
  divisional_director: "Divisional director",
  director_of_practice: "Director of practice",
  director_childrens_services: "Director of children's services",
  deputy_chief_executive: "Deputy chief executive",
  chief_executive: "Chief executive",
  legal_representative: "Legal representative",
  // quality assurance and the IRO / CP Chair service
  quality_manager: "Quality manager",
  head_of_quality: "Head of quality",
  director_learning_development: "Director of learning and development",
  qa_inbox: "Quality assurance inbox",
  cp_qa_inbox: "Child protection quality assurance inbox",
  qa_deputy_head_of_service: "Quality assurance deputy head of service",
  qa_head_of_service: "Quality assurance head of service",
  assistant_director_qa: "Assistant director, quality assurance",
  iro_service_manager: "IRO service manager",
  iro_service_assistant_head_of_service: "IRO service assistant head of service",
  iro_service_head_of_service: "IRO service head of service",
  cp_service_manager: "Child protection chair service manager",
  business_support: "Business support",
  service_manager_qa: "Quality assurance service manager",
  // the chairs, in the directory so that the pages know them (they raise disputes; they are never a stage's recipient)
  iro: "Independent reviewing officer",
  cp_chair: "Child protection chair",
} as const;

/** Outside the authority: referred to, never emailed (a referral stage records it). */
export const CAFCASS = "cafcass";

export type KnownRole = keyof typeof KNOWN_ROLES;

/** Who chairs a statutory review or conference: an IRO or a CP Chair. */
export const CHAIR_ROLES = ["iro", "cp_chair"] as const;
export type ChairRole = (typeof CHAIR_ROLES)[number];

/**
 * Who raises disputes. The person is on the dispute itself, not in the
 * directory. Chairs raise disputes about a child's plan; a team manager or a
 * social worker raises a concern about a chair (WF §1.6 "Workers and team
 * managers").
 */
export const INSTIGATOR_ROLES = [...CHAIR_ROLES, "team_manager", "social_worker"] as const;
export type InstigatorRole = (typeof INSTIGATOR_ROLES)[number];

export const INSTIGATOR_LABELS: Record<InstigatorRole, string> = {
  iro: "IRO",
  cp_chair: "CP Chair",
  team_manager: "Team manager",
  social_worker: "Social worker",
};

/**
 * A pseudo-role for notifications: the IRO or CP Chair who raised this
 * dispute. Resolved from the dispute, never from the directory.
 */
export const INSTIGATOR = "instigator";

export const ROLE_NAME = /^[a-z][a-z0-9_]*$/;

export function isKnownRole(role: string): role is KnownRole {
  return Object.hasOwn(KNOWN_ROLES, role);
}
