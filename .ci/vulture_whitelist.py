# Names vulture (./dev check) reports as unused that are used, each group with the reason.
# ruff: noqa
# fmt: off

# Called by frameworks, not by our code: flask routes and hooks, flask-smorest views (MethodView classes)
# and overridden hooks, marshmallow validators, click commands, gunicorn hooks and settings, locust users,
# torch modules' forward, logging formatters.
Articles; ArticleBatch; ArticleById; Checks; CheckBatch; Jobs; JobById; Health; Ready; OpenAPIYaml; Metrics; AuditLog; CheckById; CheckClaimReview; CheckReplay; ArticleVersions; ArticleVersionByNumber; DraftChecks
_._deserialize  # a marshmallow field hook
_.claims_or_draft  # a marshmallow schema validator
_._omit_absent  # a marshmallow post_dump hook
swagger_assets; reject_lone_surrogates; unexpected; authenticate; finish; asset
_._register_responses; _._register_error_handlers; _.ids_are_unique; _.format; _.forward
serve; ingest; openapi
eval_nli; eval_fever_gold; eval_scifact_cmd; eval_fever_cmd; eval_news_cmd; calibrate_screen; train_nli; export_nli_cmd
export_embedder_cmd; eval_checkworthy_cmd
limit_request_line; limit_request_field_size; access_log_format; child_exit; on_exit
Newsroom; wait_time; _.ingest
regex; converter  # werkzeug converter class attribute; apispec converter callback argument
kwargs  # marshmallow Field.serialize signature

# Read by Flask / flask-smorest from app.config.
API_TITLE; API_VERSION; OPENAPI_VERSION; OPENAPI_URL_PREFIX; OPENAPI_JSON_PATH; OPENAPI_SWAGGER_UI_PATH
OPENAPI_SWAGGER_UI_URL; JSON_SORT_KEYS; API_SPEC_OPTIONS

# Options objects of onnxruntime, faiss, sqlite3 and transformers, set by attribute.
_.intra_op_num_threads; _.inter_op_num_threads; _.graph_optimization_level; _.efConstruction; _.efSearch
_.row_factory; _.return_dict; _.num_hidden_layers

# Fields of records and schemas: read by the schemas that dump them, by JSON files, or by clients.
created_at; finished_at; callback_status; callback_attempts; chosen_on; sentence_id; conflict; next_offset
next_cursor; neutral; sentence_index; help; checked_as; support_count; contradict_count; purged; is_stale; stale_reason; date; undated_articles_left_out; superseded

# JobRunner.stop: the API for stopping a runner thread (the tests stop theirs).
_.stop

# The ClaimReview schema documents the JSON-LD that service/claimreview.py builds (schema.org names).
type_; ratingValue; bestRating; worstRating; alternateName; claimReviewed; datePublished; reviewRating
itemReviewed; author; citation
from_; citations_added; citations_dropped  # fields of the replay schema, filled from dicts
