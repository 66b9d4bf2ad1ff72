"""Contains all the data models used in inputs/outputs"""

from .actual_in import ActualIn
from .admin_v1_tenants_create_response_201 import AdminV1TenantsCreateResponse201
from .admin_v1_tenants_import_import_response_201 import AdminV1TenantsImportImportResponse201
from .admin_v1_tenants_list_tenants_response_200 import AdminV1TenantsListTenantsResponse200
from .admin_v1_tenants_tenant_id_purge_response_200 import AdminV1TenantsTenantIdPurgeResponse200
from .api_key_in import ApiKeyIn
from .budget_in import BudgetIn
from .budgets_diff_response_200 import BudgetsDiffResponse200
from .budgets_history_response_200 import BudgetsHistoryResponse200
from .category import Category
from .client_in import ClientIn
from .client_patch import ClientPatch
from .clients_diff_response_200 import ClientsDiffResponse200
from .clients_history_response_200 import ClientsHistoryResponse200
from .decision_in import DecisionIn
from .goal_in import GoalIn
from .goal_patch import GoalPatch
from .health_live_live_response_200 import HealthLiveLiveResponse200
from .health_ready_ready_response_200 import HealthReadyReadyResponse200
from .initiative_action_in import InitiativeActionIn
from .initiative_in import InitiativeIn
from .initiative_patch import InitiativePatch
from .line_in import LineIn
from .line_in_quarter import LineInQuarter
from .line_kind import LineKind
from .line_patch import LinePatch
from .line_patch_quarter import LinePatchQuarter
from .money_in import MoneyIn
from .period import Period
from .plan_in import PlanIn
from .plans_diff_response_200 import PlansDiffResponse200
from .plans_history_response_200 import PlansHistoryResponse200
from .principle_in import PrincipleIn
from .priority import Priority
from .problem import Problem
from .problem_errors_type_0_item import ProblemErrorsType0Item
from .recurring_cost_in import RecurringCostIn
from .replay_in import ReplayIn
from .review_complete import ReviewComplete
from .review_in import ReviewIn
from .review_patch import ReviewPatch
from .reviews_diff_response_200 import ReviewsDiffResponse200
from .reviews_history_response_200 import ReviewsHistoryResponse200
from .role import Role
from .strategies_diff_response_200 import StrategiesDiffResponse200
from .strategies_history_response_200 import StrategiesHistoryResponse200
from .strategy_in import StrategyIn
from .tenant_in import TenantIn
from .v1_api_keys_create_response_201 import V1ApiKeysCreateResponse201
from .v1_api_keys_list_keys_response_200 import V1ApiKeysListKeysResponse200
from .v1_audit_search_aggregate_type_type_1 import V1AuditSearchAggregateTypeType1
from .v1_audit_search_aggregate_type_type_2_type_1 import V1AuditSearchAggregateTypeType2Type1
from .v1_audit_search_aggregate_type_type_3_type_1 import V1AuditSearchAggregateTypeType3Type1
from .v1_audit_search_response_200 import V1AuditSearchResponse200
from .v1_audit_search_type_type_0 import V1AuditSearchTypeType0
from .v1_budgets_budget_id_action_act_response_200 import V1BudgetsBudgetIdActionActResponse200
from .v1_budgets_budget_id_actuals_record_actual_response_201 import (
    V1BudgetsBudgetIdActualsRecordActualResponse201,
)
from .v1_budgets_budget_id_get_budget_response_200 import V1BudgetsBudgetIdGetBudgetResponse200
from .v1_budgets_budget_id_lines_add_line_response_201 import (
    V1BudgetsBudgetIdLinesAddLineResponse201,
)
from .v1_budgets_budget_id_lines_line_id_remove_remove_line_response_200 import (
    V1BudgetsBudgetIdLinesLineIdRemoveRemoveLineResponse200,
)
from .v1_budgets_budget_id_lines_line_id_update_line_response_200 import (
    V1BudgetsBudgetIdLinesLineIdUpdateLineResponse200,
)
from .v1_clients_client_id_alignment_alignment_response_200 import (
    V1ClientsClientIdAlignmentAlignmentResponse200,
)
from .v1_clients_client_id_budgets_create_response_201 import (
    V1ClientsClientIdBudgetsCreateResponse201,
)
from .v1_clients_client_id_budgets_list_budgets_response_200 import (
    V1ClientsClientIdBudgetsListBudgetsResponse200,
)
from .v1_clients_client_id_changes_changes_response_200 import (
    V1ClientsClientIdChangesChangesResponse200,
)
from .v1_clients_client_id_get_client_response_200 import V1ClientsClientIdGetClientResponse200
from .v1_clients_client_id_plans_create_response_201 import V1ClientsClientIdPlansCreateResponse201
from .v1_clients_client_id_plans_list_plans_response_200 import (
    V1ClientsClientIdPlansListPlansResponse200,
)
from .v1_clients_client_id_reviews_create_response_201 import (
    V1ClientsClientIdReviewsCreateResponse201,
)
from .v1_clients_client_id_reviews_list_reviews_response_200 import (
    V1ClientsClientIdReviewsListReviewsResponse200,
)
from .v1_clients_client_id_roadmap_roadmap_response_200 import (
    V1ClientsClientIdRoadmapRoadmapResponse200,
)
from .v1_clients_client_id_strategies_create_response_201 import (
    V1ClientsClientIdStrategiesCreateResponse201,
)
from .v1_clients_client_id_strategies_list_strategies_response_200 import (
    V1ClientsClientIdStrategiesListStrategiesResponse200,
)
from .v1_clients_client_id_update_response_200 import V1ClientsClientIdUpdateResponse200
from .v1_clients_create_response_201 import V1ClientsCreateResponse201
from .v1_clients_list_clients_response_200 import V1ClientsListClientsResponse200
from .v1_event_types_list_event_types_response_200 import V1EventTypesListEventTypesResponse200
from .v1_plans_plan_id_get_plan_response_200 import V1PlansPlanIdGetPlanResponse200
from .v1_plans_plan_id_initiatives_initiative_id_action_act_response_200 import (
    V1PlansPlanIdInitiativesInitiativeIdActionActResponse200,
)
from .v1_plans_plan_id_initiatives_initiative_id_update_initiative_response_200 import (
    V1PlansPlanIdInitiativesInitiativeIdUpdateInitiativeResponse200,
)
from .v1_plans_plan_id_initiatives_propose_response_201 import (
    V1PlansPlanIdInitiativesProposeResponse201,
)
from .v1_portfolio_list_portfolio_response_200 import V1PortfolioListPortfolioResponse200
from .v1_reviews_review_id_complete_complete_response_200 import (
    V1ReviewsReviewIdCompleteCompleteResponse200,
)
from .v1_reviews_review_id_get_review_response_200 import V1ReviewsReviewIdGetReviewResponse200
from .v1_reviews_review_id_update_response_200 import V1ReviewsReviewIdUpdateResponse200
from .v1_strategies_strategy_id_adopt_adopt_response_200 import (
    V1StrategiesStrategyIdAdoptAdoptResponse200,
)
from .v1_strategies_strategy_id_archive_archive_response_200 import (
    V1StrategiesStrategyIdArchiveArchiveResponse200,
)
from .v1_strategies_strategy_id_get_strategy_response_200 import (
    V1StrategiesStrategyIdGetStrategyResponse200,
)
from .v1_strategies_strategy_id_goals_add_goal_response_201 import (
    V1StrategiesStrategyIdGoalsAddGoalResponse201,
)
from .v1_strategies_strategy_id_goals_goal_id_retire_retire_goal_response_200 import (
    V1StrategiesStrategyIdGoalsGoalIdRetireRetireGoalResponse200,
)
from .v1_strategies_strategy_id_goals_goal_id_update_goal_response_200 import (
    V1StrategiesStrategyIdGoalsGoalIdUpdateGoalResponse200,
)
from .v1_strategies_strategy_id_principles_add_principle_response_201 import (
    V1StrategiesStrategyIdPrinciplesAddPrincipleResponse201,
)
from .v1_webhooks_create_response_201 import V1WebhooksCreateResponse201
from .v1_webhooks_list_webhooks_response_200 import V1WebhooksListWebhooksResponse200
from .v1_webhooks_webhook_id_deliveries_delivery_id_retry_retry_response_202 import (
    V1WebhooksWebhookIdDeliveriesDeliveryIdRetryRetryResponse202,
)
from .v1_webhooks_webhook_id_deliveries_list_deliveries_response_200 import (
    V1WebhooksWebhookIdDeliveriesListDeliveriesResponse200,
)
from .v1_webhooks_webhook_id_get_webhook_response_200 import (
    V1WebhooksWebhookIdGetWebhookResponse200,
)
from .v1_webhooks_webhook_id_replay_replay_response_202 import (
    V1WebhooksWebhookIdReplayReplayResponse202,
)
from .v1_webhooks_webhook_id_rotate_secret_rotate_secret_response_200 import (
    V1WebhooksWebhookIdRotateSecretRotateSecretResponse200,
)
from .v1_webhooks_webhook_id_update_response_200 import V1WebhooksWebhookIdUpdateResponse200
from .webhook_in import WebhookIn
from .webhook_patch import WebhookPatch
from .webhook_patch_status_type_0 import WebhookPatchStatusType0

__all__ = (
    "ActualIn",
    "AdminV1TenantsCreateResponse201",
    "AdminV1TenantsImportImportResponse201",
    "AdminV1TenantsListTenantsResponse200",
    "AdminV1TenantsTenantIdPurgeResponse200",
    "ApiKeyIn",
    "BudgetIn",
    "BudgetsDiffResponse200",
    "BudgetsHistoryResponse200",
    "Category",
    "ClientIn",
    "ClientPatch",
    "ClientsDiffResponse200",
    "ClientsHistoryResponse200",
    "DecisionIn",
    "GoalIn",
    "GoalPatch",
    "HealthLiveLiveResponse200",
    "HealthReadyReadyResponse200",
    "InitiativeActionIn",
    "InitiativeIn",
    "InitiativePatch",
    "LineIn",
    "LineInQuarter",
    "LineKind",
    "LinePatch",
    "LinePatchQuarter",
    "MoneyIn",
    "Period",
    "PlanIn",
    "PlansDiffResponse200",
    "PlansHistoryResponse200",
    "PrincipleIn",
    "Priority",
    "Problem",
    "ProblemErrorsType0Item",
    "RecurringCostIn",
    "ReplayIn",
    "ReviewComplete",
    "ReviewIn",
    "ReviewPatch",
    "ReviewsDiffResponse200",
    "ReviewsHistoryResponse200",
    "Role",
    "StrategiesDiffResponse200",
    "StrategiesHistoryResponse200",
    "StrategyIn",
    "TenantIn",
    "V1ApiKeysCreateResponse201",
    "V1ApiKeysListKeysResponse200",
    "V1AuditSearchAggregateTypeType1",
    "V1AuditSearchAggregateTypeType2Type1",
    "V1AuditSearchAggregateTypeType3Type1",
    "V1AuditSearchResponse200",
    "V1AuditSearchTypeType0",
    "V1BudgetsBudgetIdActionActResponse200",
    "V1BudgetsBudgetIdActualsRecordActualResponse201",
    "V1BudgetsBudgetIdGetBudgetResponse200",
    "V1BudgetsBudgetIdLinesAddLineResponse201",
    "V1BudgetsBudgetIdLinesLineIdRemoveRemoveLineResponse200",
    "V1BudgetsBudgetIdLinesLineIdUpdateLineResponse200",
    "V1ClientsClientIdAlignmentAlignmentResponse200",
    "V1ClientsClientIdBudgetsCreateResponse201",
    "V1ClientsClientIdBudgetsListBudgetsResponse200",
    "V1ClientsClientIdChangesChangesResponse200",
    "V1ClientsClientIdGetClientResponse200",
    "V1ClientsClientIdPlansCreateResponse201",
    "V1ClientsClientIdPlansListPlansResponse200",
    "V1ClientsClientIdReviewsCreateResponse201",
    "V1ClientsClientIdReviewsListReviewsResponse200",
    "V1ClientsClientIdRoadmapRoadmapResponse200",
    "V1ClientsClientIdStrategiesCreateResponse201",
    "V1ClientsClientIdStrategiesListStrategiesResponse200",
    "V1ClientsClientIdUpdateResponse200",
    "V1ClientsCreateResponse201",
    "V1ClientsListClientsResponse200",
    "V1EventTypesListEventTypesResponse200",
    "V1PlansPlanIdGetPlanResponse200",
    "V1PlansPlanIdInitiativesInitiativeIdActionActResponse200",
    "V1PlansPlanIdInitiativesInitiativeIdUpdateInitiativeResponse200",
    "V1PlansPlanIdInitiativesProposeResponse201",
    "V1PortfolioListPortfolioResponse200",
    "V1ReviewsReviewIdCompleteCompleteResponse200",
    "V1ReviewsReviewIdGetReviewResponse200",
    "V1ReviewsReviewIdUpdateResponse200",
    "V1StrategiesStrategyIdAdoptAdoptResponse200",
    "V1StrategiesStrategyIdArchiveArchiveResponse200",
    "V1StrategiesStrategyIdGetStrategyResponse200",
    "V1StrategiesStrategyIdGoalsAddGoalResponse201",
    "V1StrategiesStrategyIdGoalsGoalIdRetireRetireGoalResponse200",
    "V1StrategiesStrategyIdGoalsGoalIdUpdateGoalResponse200",
    "V1StrategiesStrategyIdPrinciplesAddPrincipleResponse201",
    "V1WebhooksCreateResponse201",
    "V1WebhooksListWebhooksResponse200",
    "V1WebhooksWebhookIdDeliveriesDeliveryIdRetryRetryResponse202",
    "V1WebhooksWebhookIdDeliveriesListDeliveriesResponse200",
    "V1WebhooksWebhookIdGetWebhookResponse200",
    "V1WebhooksWebhookIdReplayReplayResponse202",
    "V1WebhooksWebhookIdRotateSecretRotateSecretResponse200",
    "V1WebhooksWebhookIdUpdateResponse200",
    "WebhookIn",
    "WebhookPatch",
    "WebhookPatchStatusType0",
)
