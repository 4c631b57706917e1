"""The expected answer of every endpoint to every kind of person: the permission matrix's one table.

Read ``test_matrix.py`` for what the cells mean. In short: ``ok`` 2xx, ``go`` a redirect (not to log-in),
``login`` 401 or a redirect to log in, ``2fa`` sent to set up two-factor authentication, otherwise the status
code; ``!`` the call changed data. One cell means every column. A row ending in ``*`` is a pattern (the
longest matching pattern applies to routes without a row of their own).

Pages are called with GET and with an empty POST; the world's objects are named by their real ids (see
``world.py`` for who owns what: the endpoints taking ``bid_id`` name the awarded freelancer's live bid on job 2,
``contract_id`` the active contract, ``milestone_id`` its delivered milestone, ``dispute_id`` a dispute the buyer
opened on another contract, ``suspension_id`` a rule breaker's suspension — the suspended column's own one).

When an endpoint is added, ``test_every_endpoint_has_a_row`` names it (and each column's test reports what it
answered): decide who may use it and add its row. ``HAAT_MATRIX_OBSERVED=<folder>`` makes every column's test
write its observed answers there as JSON, to copy from once each answer has been judged right.
"""

TABLE = r"""
# method route                                                                   anon   buyer  obuy   free   bidder susp   arb    fin    mod    adm    no2fa norole
GET /                                                                            ok
POST /                                                                           ok
GET /dashboard/                                                                  login  ok     ok     ok     ok     ok     ok     ok     ok     ok     ok     ok
POST /dashboard/                                                                 login  ok     ok     ok     ok     ok     ok     ok     ok     ok     ok     ok
GET /language/                                                                   405
POST /language/                                                                  go
GET /healthz                                                                     ok
POST /healthz                                                                    ok
GET /favicon.ico                                                                 go
POST /favicon.ico                                                                go
GET /people/<int:user_id>/                                                       ok
POST /people/<int:user_id>/                                                      ok
GET /profile/edit/                                                               login  ok     ok     ok     ok     ok     ok     ok     ok     ok     ok     ok
POST /profile/edit/                                                              login  ok     ok     ok     ok     ok     ok     ok     ok     ok     ok     ok
GET /profile/portfolio/add/                                                      login  405    405    405    405    405    405    405    405    405    405    405
POST /profile/portfolio/add/                                                     login  go     go     go     go     go     go     go     go     go     go     go
GET /profile/portfolio/<int:item_id>/delete/                                     login  405    405    405    405    405    405    405    405    405    405    405
POST /profile/portfolio/<int:item_id>/delete/                                    login  404    404    go!    404    go!    404    404    404    404    404    404
GET /portfolio/<int:item_id>/image                                               404
POST /portfolio/<int:item_id>/image                                              404
GET /settings/                                                                   login  ok     ok     ok     ok     ok     ok     ok     ok     ok     ok     ok
POST /settings/                                                                  login  ok     ok     ok     ok     ok     ok     ok     ok     ok     ok     ok
GET /settings/tokens/                                                            login  405    405    405    405    405    405    405    405    405    405    405
POST /settings/tokens/                                                           login  400    400    400    400    400    400    400    400    400    400    400
GET /settings/tokens/<int:token_id>/revoke/                                      login  405    405    405    405    405    405    405    405    405    405    405
POST /settings/tokens/<int:token_id>/revoke/                                     login  404    404    go!    404    go!    404    404    404    404    404    404
GET /settings/sessions/                                                          login  ok     ok     ok     ok     ok     ok     ok     ok     ok     ok     ok
POST /settings/sessions/                                                         login  ok     ok     ok     ok     ok     ok     ok     ok     ok     ok     ok
GET /settings/sessions/<int:session_id>/revoke/                                  login  405    405    405    405    405    405    405    405    405    405    405
POST /settings/sessions/<int:session_id>/revoke/                                 login  404    404    go!    404    go!    404    404    404    404    404    404
GET /settings/sessions/revoke-others/                                            login  405    405    405    405    405    405    405    405    405    405    405
POST /settings/sessions/revoke-others/                                           login  go     go     go!    go     go!    go     go     go     go     go     go
GET /wallet/                                                                     login  ok     ok     ok     ok     ok     ok     ok     ok     ok     ok     ok
POST /wallet/                                                                    login  ok     ok     ok     ok     ok     ok     ok     ok     ok     ok     ok
GET /wallet/statement.csv                                                        login  ok     ok     ok     ok     ok     ok     ok     ok     ok     ok     ok
POST /wallet/statement.csv                                                       login  ok     ok     ok     ok     ok     ok     ok     ok     ok     ok     ok
GET /wallet/deposits/                                                            login  ok     ok     ok     ok     ok     ok     ok     ok     ok     ok     ok
POST /wallet/deposits/                                                           login  ok     ok     ok     ok     ok     ok     ok     ok     ok     ok     ok
GET /wallet/deposits/new/                                                        login  ok     ok     ok     ok     ok     ok     ok     ok     ok     ok     ok
POST /wallet/deposits/new/                                                       login  400    400    400    400    400    400    400    400    400    400    400
GET /wallet/deposits/<int:deposit_id>/                                           login  ok     404    404    404    404    404    404    404    404    404    404
POST /wallet/deposits/<int:deposit_id>/                                          login  ok     404    404    404    404    404    404    404    404    404    404
GET /wallet/deposits/bank-transfers/                                             login  403    403    403    403    403    403    ok     403    ok     2fa    403
POST /wallet/deposits/bank-transfers/                                            login  403    403    403    403    403    403    ok     403    ok     2fa    403
GET /wallet/deposits/<int:deposit_id>/confirm/                                   login  403    403    403    403    403    403    405    403    405    2fa    403
POST /wallet/deposits/<int:deposit_id>/confirm/                                  login  403    403    403    403    403    403    400    403    400    2fa    403
GET /wallet/deposits/<int:deposit_id>/fail/                                      login  403    403    403    403    403    403    405    403    405    2fa    403
POST /wallet/deposits/<int:deposit_id>/fail/                                     login  403    403    403    403    403    403    400    403    400    2fa    403
GET /wallet/payout-methods/                                                      login  ok     ok     ok     ok     ok     ok     ok     ok     ok     ok     ok
POST /wallet/payout-methods/                                                     login  ok     ok     ok     ok     ok     ok     ok     ok     ok     ok     ok
GET /wallet/payout-methods/add/                                                  login  go     go     go     go     go     go     go     go     go     go     go
POST /wallet/payout-methods/add/                                                 login  go     go     go     go     go     go     go     go     go     go     go
GET /wallet/payout-methods/<int:method_id>/remove/                               login  405    405    405    405    405    405    405    405    405    405    405
POST /wallet/payout-methods/<int:method_id>/remove/                              login  404    404    go!    404    go!    404    404    404    404    404    404
GET /wallet/withdrawals/                                                         login  ok     ok     ok     ok     ok     ok     ok     ok     ok     ok     ok
POST /wallet/withdrawals/                                                        login  ok     ok     ok     ok     ok     ok     ok     ok     ok     ok     ok
GET /wallet/withdrawals/new/                                                     login  ok     ok     ok     ok     ok     ok     ok     ok     ok     ok     ok
POST /wallet/withdrawals/new/                                                    login  400    400    400    400    400    400    400    400    400    400    400
GET /staff/payouts/                                                              login  403    403    403    403    403    403    ok     403    ok     2fa    403
POST /staff/payouts/                                                             login  403    403    403    403    403    403    ok     403    ok     2fa    403
GET /staff/payouts/<int:withdrawal_id>/mark-paid/                                login  403    403    403    403    403    403    405    403    405    2fa    403
POST /staff/payouts/<int:withdrawal_id>/mark-paid/                               login  403    403    403    403    403    403    go     403    go     2fa    403
GET /staff/payouts/<int:withdrawal_id>/reject/                                   login  403    403    403    403    403    403    405    403    405    2fa    403
POST /staff/payouts/<int:withdrawal_id>/reject/                                  login  403    403    403    403    403    403    go     403    go     2fa    403
GET /jobs/                                                                       ok
POST /jobs/                                                                      ok
GET /jobs/saved/                                                                 login  ok     ok     ok     ok     ok     ok     ok     ok     ok     ok     ok
POST /jobs/saved/                                                                login  go     go     go     go     go     go     go     go     go     go     go
GET /jobs/saved/<int:filter_id>/delete/                                          login  405    405    405    405    405    405    405    405    405    405    405
POST /jobs/saved/<int:filter_id>/delete/                                         login  404    404    go!    404    go!    404    404    404    404    404    404
GET /jobs/new/                                                                   login  ok     ok     ok     ok     ok     ok     ok     ok     ok     ok     ok
POST /jobs/new/                                                                  login  400    400    400    400    400    400    400    400    400    400    400
GET /jobs/mine/                                                                  login  ok     ok     ok     ok     ok     ok     ok     ok     ok     ok     ok
POST /jobs/mine/                                                                 login  ok     ok     ok     ok     ok     ok     ok     ok     ok     ok     ok
GET /jobs/<int:job_id>/                                                          ok
POST /jobs/<int:job_id>/                                                         ok
GET /jobs/<int:job_id>/edit/                                                     login  ok     403    403    403    403    403    403    403    403    403    403
POST /jobs/<int:job_id>/edit/                                                    login  400    403    403    403    403    403    403    403    403    403    403
GET /jobs/<int:job_id>/publish/                                                  login  405    405    405    405    405    405    405    405    405    405    405
POST /jobs/<int:job_id>/publish/                                                 login  go     403    403    403    403    403    403    403    403    403    403
GET /jobs/<int:job_id>/close/                                                    login  405    405    405    405    405    405    405    405    405    405    405
POST /jobs/<int:job_id>/close/                                                   login  go!    403    403    403    403    403    403    403    403    403    403
GET /jobs/<int:job_id>/cancel/                                                   login  405    405    405    405    405    405    405    405    405    405    405
POST /jobs/<int:job_id>/cancel/                                                  login  go!    403    403    403    403    403    403    403    403    403    403
GET /jobs/<int:job_id>/nda/                                                      login  405    405    405    405    405    405    405    405    405    405    405
POST /jobs/<int:job_id>/nda/                                                     login  go     go     go     go     go     go     go     go     go     go     go
GET /jobs/<int:job_id>/invite/                                                   login  405    405    405    405    405    405    405    405    405    405    405
POST /jobs/<int:job_id>/invite/                                                  login  go!    403    403    403    403    403    403    403    403    403    403
GET /jobs/<int:job_id>/files/                                                    login  405    405    405    405    405    405    405    405    405    405    405
POST /jobs/<int:job_id>/files/                                                   login  go!    403    403    403    403    403    403    403    403    403    403
GET /jobs/<int:job_id>/files/<int:attachment_id>/                                ok
POST /jobs/<int:job_id>/files/<int:attachment_id>/                               405
GET /jobs/<int:job_id>/files/<int:attachment_id>/delete/                         login  405    405    405    405    405    405    405    405    405    405    405
POST /jobs/<int:job_id>/files/<int:attachment_id>/delete/                        login  go!    403    403    403    403    403    403    403    403    403    403
GET /jobs/<int:job_id>/bids/                                                     login  ok     404    404    404    404    404    404    404    404    404    404
POST /jobs/<int:job_id>/bids/                                                    login  ok     404    404    404    404    404    404    404    404    404    404
GET /jobs/<int:job_id>/bids/new/                                                 login  go     ok     ok     ok     ok     ok     ok     ok     ok     ok     ok
POST /jobs/<int:job_id>/bids/new/                                                login  go     400    400    400    400    400    400    400    400    400    400
GET /jobs/<int:job_id>/bids/quote/                                               login  ok     ok     ok     ok     ok     ok     ok     ok     ok     ok     ok
POST /jobs/<int:job_id>/bids/quote/                                              login  405    405    405    405    405    405    405    405    405    405    405
GET /bids/mine/                                                                  login  ok     ok     ok     ok     ok     ok     ok     ok     ok     ok     ok
POST /bids/mine/                                                                 login  ok     ok     ok     ok     ok     ok     ok     ok     ok     ok     ok
GET /bids/<int:bid_id>/edit/                                                     login  404    404    ok     404    ok     404    404    404    404    404    404
POST /bids/<int:bid_id>/edit/                                                    login  404    404    400    404    400    404    404    404    404    404    404
GET /bids/<int:bid_id>/withdraw/                                                 login  405    405    405    405    405    405    405    405    405    405    405
POST /bids/<int:bid_id>/withdraw/                                                login  404    404    go!    404    go!    404    404    404    404    404    404
GET /bids/<int:bid_id>/shortlist/                                                login  405    405    405    405    405    405    405    405    405    405    405
POST /bids/<int:bid_id>/shortlist/                                               login  go     404    404    404    404    404    404    404    404    404    404
GET /bids/<int:bid_id>/reject/                                                   login  ok     404    404    404    404    404    404    404    404    404    404
POST /bids/<int:bid_id>/reject/                                                  login  400    404    404    404    404    404    404    404    404    404    404
GET /bids/<int:bid_id>/award/                                                    login  ok     404    404    404    404    404    404    404    404    404    404
POST /bids/<int:bid_id>/award/                                                   login  go!    404    404    404    404    404    404    404    404    404    404
GET /bids/<int:bid_id>/accept/                                                   login  405    405    405    405    405    405    405    405    405    405    405
POST /bids/<int:bid_id>/accept/                                                  login  404    404    go     404    go     404    404    404    404    404    404
GET /bids/<int:bid_id>/decline/                                                  login  405    405    405    405    405    405    405    405    405    405    405
POST /bids/<int:bid_id>/decline/                                                 login  404    404    go     404    go     404    404    404    404    404    404
GET /messages/                                                                   login  ok     ok     ok     ok     ok     ok     ok     ok     ok     ok     ok
POST /messages/                                                                  login  ok     ok     ok     ok     ok     ok     ok     ok     ok     ok     ok
GET /messages/<int:thread_id>/                                                   login  ok!    404    ok!    404    ok!    404    404    404    404    404    404
POST /messages/<int:thread_id>/                                                  login  400    404    400    404    400    404    404    404    404    404    404
GET /messages/start/<int:job_id>/                                                login  405    405    405    405    405    405    405    405    405    405    405
POST /messages/start/<int:job_id>/                                               login  go     404    go     go!    go     404    404    404    404    404    404
GET /messages/message/<int:message_id>/edit/                                     login  403    404    ok     404    ok     404    404    404    404    404    404
POST /messages/message/<int:message_id>/edit/                                    login  403    404    400    404    400    404    404    404    404    404    404
GET /messages/file/<int:attachment_id>/                                          login  ok     404    ok     404    ok     404    404    404    404    404    404
POST /messages/file/<int:attachment_id>/                                         login  ok     404    ok     404    ok     404    404    404    404    404    404
GET /contracts/                                                                  login  ok     ok     ok     ok     ok     ok     ok     ok     ok     ok     ok
POST /contracts/                                                                 login  ok     ok     ok     ok     ok     ok     ok     ok     ok     ok     ok
GET /contracts/<int:contract_id>/                                                login  ok     404    ok     404    ok     404    404    404    404    404    404
POST /contracts/<int:contract_id>/                                               login  ok     404    ok     404    ok     404    404    404    404    404    404
GET /contracts/<int:contract_id>/milestones/                                     login  ok     404    404    404    404    404    404    404    404    404    404
POST /contracts/<int:contract_id>/milestones/                                    login  400    404    404    404    404    404    404    404    404    404    404
GET /milestones/<int:milestone_id>/fund/                                         login  ok     404    ok     404    ok     404    404    404    404    404    404
POST /milestones/<int:milestone_id>/fund/                                        login  400    404    403    404    403    404    404    404    404    404    404
GET /milestones/<int:milestone_id>/request-funding/                              login  405    405    405    405    405    405    405    405    405    405    405
POST /milestones/<int:milestone_id>/request-funding/                             login  403    404    go     404    go     404    404    404    404    404    404
GET /milestones/<int:milestone_id>/deliver/                                      login  405    405    405    405    405    405    405    405    405    405    405
POST /milestones/<int:milestone_id>/deliver/                                     login  go     404    go     404    go     404    404    404    404    404    404
GET /milestones/<int:milestone_id>/request-changes/                              login  405    405    405    405    405    405    405    405    405    405    405
POST /milestones/<int:milestone_id>/request-changes/                             login  go     404    go     404    go     404    404    404    404    404    404
GET /milestones/<int:milestone_id>/accept/                                       login  405    405    405    405    405    405    405    405    405    405    405
POST /milestones/<int:milestone_id>/accept/                                      login  go!    404    403    404    403    404    404    404    404    404    404
GET /milestones/<int:milestone_id>/agree-partial/                                login  405    405    405    405    405    405    405    405    405    405    405
POST /milestones/<int:milestone_id>/agree-partial/                               login  403    404    go     404    go     404    404    404    404    404    404
GET /milestones/<int:milestone_id>/cancel/                                       login  405    405    405    405    405    405    405    405    405    405    405
POST /milestones/<int:milestone_id>/cancel/                                      login  go     404    403    404    403    404    404    404    404    404    404
GET /milestones/<int:milestone_id>/cancellation-requests/                        login  405    405    405    405    405    405    405    405    405    405    405
POST /milestones/<int:milestone_id>/cancellation-requests/                       login  go!    404    go!    404    go!    404    404    404    404    404    404
GET /cancellation-requests/<int:request_id>/answer/                              login  405    405    405    405    405    405    405    405    405    405    405
POST /cancellation-requests/<int:request_id>/answer/                             login  404    404    404    404    404    404    404    404    404    404    404
GET /deliveries/<int:delivery_id>/                                               login  ok     404    ok     404    ok     404    404    404    404    404    404
POST /deliveries/<int:delivery_id>/                                              login  405    405    405    405    405    405    405    405    405    405    405
GET /deliveries/<int:delivery_id>/download/                                      login  ok     404    ok     404    ok     404    404    404    404    404    404
POST /deliveries/<int:delivery_id>/download/                                     login  405    405    405    405    405    405    405    405    405    405    405
GET /contracts/<int:contract_id>/status-reports/new/                             login  403    404    ok     404    ok     404    404    404    404    404    404
POST /contracts/<int:contract_id>/status-reports/new/                            login  403    404    400    404    400    404    404    404    404    404    404
GET /people/<int:user_id>/ranking/                                               ok
POST /people/<int:user_id>/ranking/                                              ok
GET /contracts/<int:contract_id>/vault/                                          login  ok     404    ok     404    ok     404    404    404    404    404    404
POST /contracts/<int:contract_id>/vault/                                         login  ok     404    ok     404    ok     404    404    404    404    404    404
GET /contracts/<int:contract_id>/vault/add/                                      login  ok     404    403    404    403    404    404    404    404    404    404
POST /contracts/<int:contract_id>/vault/add/                                     login  400    404    403    404    403    404    404    404    404    404    404
GET /contracts/<int:contract_id>/vault/log/                                      login  ok     404    ok     404    ok     404    404    404    404    404    404
POST /contracts/<int:contract_id>/vault/log/                                     login  ok     404    ok     404    ok     404    404    404    404    404    404
GET /contracts/vault/<int:entry_id>/reveal/                                      login  405    405    405    405    405    405    405    405    405    405    405
POST /contracts/vault/<int:entry_id>/reveal/                                     login  ok!    404    ok!    404    ok!    404    404    404    404    404    404
GET /contracts/vault/<int:entry_id>/edit/                                        login  ok     404    403    404    403    404    404    404    404    404    404
POST /contracts/vault/<int:entry_id>/edit/                                       login  400    404    403    404    403    404    404    404    404    404    404
GET /contracts/vault/<int:entry_id>/delete/                                      login  ok     404    403    404    403    404    404    404    404    404    404
POST /contracts/vault/<int:entry_id>/delete/                                     login  go!    404    403    404    403    404    404    404    404    404    404
GET /contracts/<int:contract_id>/timeline/                                       login  ok     404    ok     404    ok     404    404    404    404    404    404
POST /contracts/<int:contract_id>/timeline/                                      login  ok     404    ok     404    ok     404    404    404    404    404    404
GET /contracts/<int:contract_id>/review/                                         login  ok     404    ok     404    ok     404    404    404    404    404    404
POST /contracts/<int:contract_id>/review/                                        login  422    404    422    404    422    404    404    404    404    404    404
GET /freelancers/                                                                ok
POST /freelancers/                                                               ok
GET /disputes/                                                                   login  ok     ok     ok     ok     ok     ok     ok     ok     ok     ok     ok
POST /disputes/                                                                  login  ok     ok     ok     ok     ok     ok     ok     ok     ok     ok     ok
GET /contracts/<int:contract_id>/disputes/new/                                   login  go     404    go     404    go     404    404    404    404    404    404
POST /contracts/<int:contract_id>/disputes/new/                                  login  go     404    go     404    go     404    404    404    404    404    404
GET /disputes/<int:dispute_id>/                                                  login  ok     404    ok     404    ok     404    404    404    404    404    404
POST /disputes/<int:dispute_id>/                                                 login  ok     404    ok     404    ok     404    404    404    404    404    404
GET /disputes/<int:dispute_id>/statement/                                        login  405    405    405    405    405    405    405    405    405    405    405
POST /disputes/<int:dispute_id>/statement/                                       login  go!    404    go!    404    go!    404    404    404    404    404    404
GET /disputes/<int:dispute_id>/offer/                                            login  405    405    405    405    405    405    405    405    405    405    405
POST /disputes/<int:dispute_id>/offer/                                           login  go     404    go     404    go     404    404    404    404    404    404
GET /disputes/<int:dispute_id>/escalate/                                         login  405    405    405    405    405    405    405    405    405    405    405
POST /disputes/<int:dispute_id>/escalate/                                        login  go!    404    go!    404    go!    404    404    404    404    404    404
GET /disputes/<int:dispute_id>/withdraw/                                         login  405    405    405    405    405    405    405    405    405    405    405
POST /disputes/<int:dispute_id>/withdraw/                                        login  go!    404    go     404    go     404    404    404    404    404    404
GET /dispute-offers/<int:offer_id>/accept/                                       login  405    405    405    405    405    405    405    405    405    405    405
POST /dispute-offers/<int:offer_id>/accept/                                      login  go!    404    go     404    go     404    404    404    404    404    404
GET /dispute-offers/<int:offer_id>/reject/                                       login  405    405    405    405    405    405    405    405    405    405    405
POST /dispute-offers/<int:offer_id>/reject/                                      login  go!    404    go     404    go     404    404    404    404    404    404
GET /staff/disputes/                                                             login  403    403    403    403    403    ok     403    403    ok     2fa    403
POST /staff/disputes/                                                            login  403    403    403    403    403    ok     403    403    ok     2fa    403
GET /staff/disputes/<int:dispute_id>/                                            login  403    403    403    403    403    ok     403    403    ok     2fa    403
POST /staff/disputes/<int:dispute_id>/                                           login  403    403    403    403    403    400    403    403    400    2fa    403
GET /staff/disputes/<int:dispute_id>/take/                                       login  403    403    403    403    403    405    403    403    405    2fa    403
POST /staff/disputes/<int:dispute_id>/take/                                      login  403    403    403    403    403    go     403    403    go     2fa    403
GET /staff/moderation/                                                           login  403    403    403    403    403    403    403    ok     ok     2fa    403
POST /staff/moderation/                                                          login  403    403    403    403    403    403    403    ok     ok     2fa    403
GET /staff/moderation/users/<int:user_id>/                                       login  403    403    403    403    403    403    403    ok     ok     2fa    403
POST /staff/moderation/users/<int:user_id>/                                      login  403    403    403    403    403    403    403    ok     ok     2fa    403
GET /staff/moderation/users/<int:user_id>/warn/                                  405
POST /staff/moderation/users/<int:user_id>/warn/                                 login  403    403    403    403    403    403    403    go     go     2fa    403
GET /staff/moderation/users/<int:user_id>/suspend/                               405
POST /staff/moderation/users/<int:user_id>/suspend/                              login  403    403    403    403    403    403    403    go     go     2fa    403
GET /staff/moderation/suspensions/<int:suspension_id>/lift/                      405
POST /staff/moderation/suspensions/<int:suspension_id>/lift/                     login  403    403    403    403    403    403    403    go     go     2fa    403
GET /staff/moderation/hide/                                                      405
POST /staff/moderation/hide/                                                     login  403    403    403    403    403    403    403    404    404    2fa    403
GET /staff/moderation/unhide/                                                    405
POST /staff/moderation/unhide/                                                   login  403    403    403    403    403    403    403    404    404    2fa    403
GET /staff/moderation/reports/<int:report_id>/dismiss/                           405
POST /staff/moderation/reports/<int:report_id>/dismiss/                          login  403    403    403    403    403    403    403    go     go     2fa    403
GET /staff/moderation/flags/<int:message_id>/reviewed/                           405
POST /staff/moderation/flags/<int:message_id>/reviewed/                          login  403    403    403    403    403    403    403    404    404    2fa    403
GET /staff/moderation/appeals/<int:appeal_id>/decide/                            405
POST /staff/moderation/appeals/<int:appeal_id>/decide/                           login  403    403    403    403    403    403    403    go     go     2fa    403
GET /report/                                                                     login  404    404    404    404    404    404    404    404    404    404    404
POST /report/                                                                    login  404    404    404    404    404    404    404    404    404    404    404
GET /account/moderation/                                                         login  ok     ok     ok     ok     ok     ok     ok     ok     ok     ok     ok
POST /account/moderation/                                                        login  ok     ok     ok     ok     ok     ok     ok     ok     ok     ok     ok
GET /account/moderation/suspensions/<int:suspension_id>/appeal/                  405
POST /account/moderation/suspensions/<int:suspension_id>/appeal/                 login  404    404    404    404    go!    404    404    404    404    404    404
GET /staff/                                                                      login  403    403    403    403    403    ok     ok     ok     ok     2fa    403
POST /staff/                                                                     login  403    403    403    403    403    ok     ok     ok     ok     2fa    403
GET /staff/dashboard/                                                            login  403    403    403    403    403    403    ok     403    ok     2fa    403
POST /staff/dashboard/                                                           login  403    403    403    403    403    403    ok     403    ok     2fa    403
GET /staff/audit/                                                                login  403    403    403    403    403    403    403    403    ok     2fa    403
POST /staff/audit/                                                               login  403    403    403    403    403    403    403    403    ok     2fa    403
GET /accounts/login/                                                             ok     go     go     go     go     go     go     go     go     go     go     go
POST /accounts/login/                                                            ok     go     go     go     go     go     go     go     go     go     go     go
GET /accounts/logout/                                                            go     ok     ok     ok     ok     ok     ok     ok     ok     ok     ok     ok
POST /accounts/logout/                                                           go     go!    go!    go!    go!    go!    go!    go!    go!    go!    go!    go!
GET /accounts/inactive/                                                          ok
POST /accounts/inactive/                                                         405
GET /accounts/signup/                                                            ok     go     go     go     go     go     go     go     go     go     go     go
POST /accounts/signup/                                                           ok     go     go     go     go     go     go     go     go     go     go     go
GET /accounts/reauthenticate/                                                    login  ok     ok     ok     ok     ok     ok     ok     ok     ok     ok     ok
POST /accounts/reauthenticate/                                                   login  ok     ok     ok     ok     ok     ok     ok     ok     ok     ok     ok
GET /accounts/email/                                                             login  ok     ok     ok     ok     ok     ok     ok     ok     ok     ok     ok
POST /accounts/email/                                                            login  go     go     go     go     go     go     go     go     go     go     go
GET /accounts/confirm-email/                                                     ok
POST /accounts/confirm-email/                                                    405
GET /accounts/password/change/                                                   login  ok     ok     ok     ok     ok     ok     ok     ok     ok     ok     ok
POST /accounts/password/change/                                                  login  ok     ok     ok     ok     ok     ok     ok     ok     ok     ok     ok
GET /accounts/password/set/                                                      login  go     go     go     go     go     go     go     go     go     go     go
POST /accounts/password/set/                                                     login  go     go     go     go     go     go     go     go     go     go     go
GET /accounts/password/reset/                                                    ok
POST /accounts/password/reset/                                                   ok
GET /accounts/login/code/confirm/                                                login  go     go     go     go     go     go     go     go     go     go     go
POST /accounts/login/code/confirm/                                               login  go     go     go     go     go     go     go     go     go     go     go
GET /accounts/confirm-email/(?P<key>[-:\w]+)/                                    ok
POST /accounts/confirm-email/(?P<key>[-:\w]+)/                                   404
GET /accounts/password/reset/key/done/                                           ok
POST /accounts/password/reset/key/done/                                          405
GET /accounts/password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/           ok
POST /accounts/password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/          ok
GET /accounts/password/reset/done/                                               ok
POST /accounts/password/reset/done/                                              405
GET /accounts/2fa/                                                               login  ok     ok     ok     ok     ok     ok     ok     ok     ok     ok     ok
POST /accounts/2fa/                                                              login  405    405    405    405    405    405    405    405    405    405    405
GET /accounts/2fa/authenticate/                                                  login  go     go     go     go     go     go     go     go     go     go     go
POST /accounts/2fa/authenticate/                                                 login  go     go     go     go     go     go     go     go     go     go     go
GET /accounts/2fa/reauthenticate/                                                login  go     go     go     go     go     ok     ok     ok     ok     go     ok
POST /accounts/2fa/reauthenticate/                                               login  go     go     go     go     go     ok     ok     ok     ok     go     ok
GET /accounts/2fa/totp/activate/                                                 login  go     go     go     go     go     go     go     go     go     go     go
POST /accounts/2fa/totp/activate/                                                login  go     go     go     go     go     go     go     go     go     go     go
GET /accounts/2fa/totp/deactivate/                                               login  404    404    404    404    404    go     go     go     go     404    go
POST /accounts/2fa/totp/deactivate/                                              login  404    404    404    404    404    go     go     go     go     404    go
GET /accounts/2fa/recovery-codes/                                                login  404    404    404    404    404    404    404    404    404    404    404
POST /accounts/2fa/recovery-codes/                                               login  405    405    405    405    405    405    405    405    405    405    405
GET /accounts/2fa/recovery-codes/generate/                                       login  go     go     go     go     go     go     go     go     go     go     go
POST /accounts/2fa/recovery-codes/generate/                                      login  go     go     go     go     go     go     go     go     go     go     go
GET /accounts/2fa/recovery-codes/download/                                       login  404    404    404    404    404    404    404    404    404    404    404
POST /accounts/2fa/recovery-codes/download/                                      login  404    404    404    404    404    404    404    404    404    404    404
GET /staff/moderation/fraud/                                                     login  403    403    403    403    403    403    ok     403    ok     2fa    403
POST /staff/moderation/fraud/                                                    login  403    403    403    403    403    403    ok     403    ok     2fa    403
GET /staff/moderation/fraud/<int:suspension_id>/reviewed/                        405
POST /staff/moderation/fraud/<int:suspension_id>/reviewed/                       login  403    403    403    403    403    403    go     403    go     2fa    403
# The admin: every page not listed is refused to every role (the patterns at the end).
GET /admin/                                                                      login  login  login  login  login  login  ok     ok     ok     ok     login  ok
POST /admin/                                                                     login  login  login  login  login  login  ok     ok     ok     ok     login  ok
GET /admin/login/                                                                login  403    403    403    403    403    go     go     go     go     2fa    go
POST /admin/login/                                                               login  403    403    403    403    403    go     go     go     go     2fa    go
GET /admin/logout/                                                               go     go     go     go     go     go     405    405    405    405    go     405
POST /admin/logout/                                                              go     go     go     go     go     go     ok!    ok!    ok!    ok!    go     ok!
GET /admin/password_change/                                                      login  login  login  login  login  login  ok     ok     ok     ok     login  ok
POST /admin/password_change/                                                     login  login  login  login  login  login  ok     ok     ok     ok     login  ok
GET /admin/password_change/done/                                                 login  login  login  login  login  login  ok     ok     ok     ok     login  ok
POST /admin/password_change/done/                                                login  login  login  login  login  login  405    405    405    405    login  405
POST /admin/autocomplete/                                                        login  login  login  login  login  login  405    405    405    405    login  405
GET /admin/jsi18n/                                                               login  login  login  login  login  login  ok     ok     ok     ok     login  ok
POST /admin/jsi18n/                                                              login  login  login  login  login  login  405    405    405    405    login  405
GET /admin/r/<path:content_type_id>/<path:object_id>/                            login  login  login  login  login  login  404    404    404    404    login  404
POST /admin/r/<path:content_type_id>/<path:object_id>/                           login  login  login  login  login  login  404    404    404    404    login  404
GET /admin/auth/group/<path:object_id>/                                          login  login  login  login  login  login  go     go     go     go     login  go
POST /admin/auth/group/<path:object_id>/                                         login  login  login  login  login  login  go     go     go     go     login  go
GET /admin/accounts/user/<path:object_id>/                                       login  login  login  login  login  login  go     go     go     go     login  go
POST /admin/accounts/user/<path:object_id>/                                      login  login  login  login  login  login  go     go     go     go     login  go
GET /admin/accounts/profile/<path:object_id>/                                    login  login  login  login  login  login  go     go     go     go     login  go
POST /admin/accounts/profile/<path:object_id>/                                   login  login  login  login  login  login  go     go     go     go     login  go
GET /admin/accounts/apitoken/<path:object_id>/                                   login  login  login  login  login  login  go     go     go     go     login  go
POST /admin/accounts/apitoken/<path:object_id>/                                  login  login  login  login  login  login  go     go     go     go     login  go
GET /admin/jobs/category/<path:object_id>/                                       login  login  login  login  login  login  go     go     go     go     login  go
POST /admin/jobs/category/<path:object_id>/                                      login  login  login  login  login  login  go     go     go     go     login  go
GET /admin/jobs/skill/<path:object_id>/                                          login  login  login  login  login  login  go     go     go     go     login  go
POST /admin/jobs/skill/<path:object_id>/                                         login  login  login  login  login  login  go     go     go     go     login  go
GET /admin/jobs/job/<path:object_id>/                                            login  login  login  login  login  login  go     go     go     go     login  go
POST /admin/jobs/job/<path:object_id>/                                           login  login  login  login  login  login  go     go     go     go     login  go
GET /admin/ledger/account/<path:object_id>/                                      login  login  login  login  login  login  go     go     go     go     login  go
POST /admin/ledger/account/<path:object_id>/                                     login  login  login  login  login  login  go     go     go     go     login  go
GET /admin/ledger/transfer/<path:object_id>/                                     login  login  login  login  login  login  go     go     go     go     login  go
POST /admin/ledger/transfer/<path:object_id>/                                    login  login  login  login  login  login  go     go     go     go     login  go
GET /admin/payments/feeschedule/<path:object_id>/                                login  login  login  login  login  login  go     go     go     go     login  go
POST /admin/payments/feeschedule/<path:object_id>/                               login  login  login  login  login  login  go     go     go     go     login  go
GET /admin/payments/deposit/                                                     login  login  login  login  login  login  403    ok     403    ok     login  403
POST /admin/payments/deposit/                                                    login  login  login  login  login  login  403    ok     403    ok     login  403
GET /admin/payments/deposit/<path:object_id>/history/                            login  login  login  login  login  login  403    ok     403    ok     login  403
POST /admin/payments/deposit/<path:object_id>/history/                           login  login  login  login  login  login  403    ok     403    ok     login  403
GET /admin/payments/deposit/<path:object_id>/change/                             login  login  login  login  login  login  403    ok     403    ok     login  403
GET /admin/payments/deposit/<path:object_id>/                                    login  login  login  login  login  login  go     go     go     go     login  go
POST /admin/payments/deposit/<path:object_id>/                                   login  login  login  login  login  login  go     go     go     go     login  go
GET /admin/payments/withdrawal/<path:object_id>/                                 login  login  login  login  login  login  go     go     go     go     login  go
POST /admin/payments/withdrawal/<path:object_id>/                                login  login  login  login  login  login  go     go     go     go     login  go
GET /admin/payments/payoutmethod/<path:object_id>/                               login  login  login  login  login  login  go     go     go     go     login  go
POST /admin/payments/payoutmethod/<path:object_id>/                              login  login  login  login  login  login  go     go     go     go     login  go
GET /admin/moderation/report/<path:object_id>/                                   login  login  login  login  login  login  go     go     go     go     login  go
POST /admin/moderation/report/<path:object_id>/                                  login  login  login  login  login  login  go     go     go     go     login  go
GET /admin/moderation/accountwarning/<path:object_id>/history/                   login  login  login  login  login  login  go     go     go     go     login  go
POST /admin/moderation/accountwarning/<path:object_id>/history/                  login  login  login  login  login  login  go     go     go     go     login  go
GET /admin/moderation/accountwarning/<path:object_id>/                           login  login  login  login  login  login  go     go     go     go     login  go
POST /admin/moderation/accountwarning/<path:object_id>/                          login  login  login  login  login  login  go     go     go     go     login  go
GET /admin/moderation/suspension/<path:object_id>/                               login  login  login  login  login  login  go     go     go     go     login  go
POST /admin/moderation/suspension/<path:object_id>/                              login  login  login  login  login  login  go     go     go     go     login  go
GET /admin/moderation/appeal/<path:object_id>/                                   login  login  login  login  login  login  go     go     go     go     login  go
POST /admin/moderation/appeal/<path:object_id>/                                  login  login  login  login  login  login  go     go     go     go     login  go
GET /admin/moderation/contactflagreview/<path:object_id>/history/                login  login  login  login  login  login  go     go     go     go     login  go
POST /admin/moderation/contactflagreview/<path:object_id>/history/               login  login  login  login  login  login  go     go     go     go     login  go
GET /admin/moderation/contactflagreview/<path:object_id>/                        login  login  login  login  login  login  go     go     go     go     login  go
POST /admin/moderation/contactflagreview/<path:object_id>/                       login  login  login  login  login  login  go     go     go     go     login  go
GET /admin/staff/auditentry/                                                     login  login  login  login  login  login  403    403    403    ok     login  403
POST /admin/staff/auditentry/                                                    login  login  login  login  login  login  403    403    403    ok     login  403
GET /admin/staff/auditentry/<path:object_id>/history/                            login  login  login  login  login  login  403    403    403    ok     login  403
POST /admin/staff/auditentry/<path:object_id>/history/                           login  login  login  login  login  login  403    403    403    ok     login  403
GET /admin/staff/auditentry/<path:object_id>/change/                             login  login  login  login  login  login  403    403    403    ok     login  403
GET /admin/staff/auditentry/<path:object_id>/                                    login  login  login  login  login  login  go     go     go     go     login  go
POST /admin/staff/auditentry/<path:object_id>/                                   login  login  login  login  login  login  go     go     go     go     login  go
GET /admin/account/emailaddress/<path:object_id>/                                login  login  login  login  login  login  go     go     go     go     login  go
POST /admin/account/emailaddress/<path:object_id>/                               login  login  login  login  login  login  go     go     go     go     login  go
GET /admin/mfa/authenticator/<path:object_id>/                                   login  login  login  login  login  login  go     go     go     go     login  go
POST /admin/mfa/authenticator/<path:object_id>/                                  login  login  login  login  login  login  go     go     go     go     login  go
GET /admin/django_tasks_database/dbtaskresult/<path:object_id>/history/          login  login  login  login  login  login  go     go     go     go     login  go
POST /admin/django_tasks_database/dbtaskresult/<path:object_id>/history/         login  login  login  login  login  login  go     go     go     go     login  go
GET /admin/django_tasks_database/dbtaskresult/<path:object_id>/                  login  login  login  login  login  login  go     go     go     go     login  go
POST /admin/django_tasks_database/dbtaskresult/<path:object_id>/                 login  login  login  login  login  login  go     go     go     go     login  go
GET /admin/(?P<app_label>*                                                       login  login  login  login  login  login  404    404    404    404    login  404
POST /admin/(?P<app_label>*                                                      login  login  login  login  login  login  404    404    404    404    login  404
GET /admin/(?P<url>.*)                                                           login  login  login  login  login  login  404    404    404    404    login  404
POST /admin/(?P<url>.*)                                                          login  login  login  login  login  login  404    404    404    404    login  404
GET /api/v1/openapi.json                                                         ok
GET /api/v1/docs                                                                 ok
GET /api/v1/me                                                                   login  ok     ok     ok     ok     ok     ok     ok     ok     ok     ok     ok
GET /api/v1/me/profile                                                           login  ok     ok     ok     ok     ok     ok     ok     ok     ok     ok     ok
PATCH /api/v1/me/profile                                                         login  ok!    ok!    ok!    ok!    ok!    ok!    ok!    ok!    ok!    ok!    ok!
GET /api/v1/profiles/{user_id}                                                   ok
POST /api/v1/me/portfolio                                                        login  422    422    422    422    422    422    422    422    422    422    422
DELETE /api/v1/me/portfolio/{item_id}                                            login  404    404    ok!    404    ok!    404    404    404    404    404    404
GET /api/v1/me/tokens                                                            login  ok     ok     ok     ok     ok     ok     ok     ok     ok     ok     ok
POST /api/v1/me/tokens                                                           login  ok!    ok!    ok!    ok!    ok!    ok!    ok!    ok!    ok!    ok!    ok!
DELETE /api/v1/me/tokens/{token_id}                                              login  404    404    ok!    404    ok!    404    404    404    404    404    404
GET /api/v1/me/sessions                                                          login  ok     ok     ok     ok     ok     ok     ok     ok     ok     ok     ok
DELETE /api/v1/me/sessions/{session_id}                                          login  404    404    ok!    404    ok!    404    404    404    404    404    404
POST /api/v1/me/sessions/revoke-others                                           login  ok     ok     ok!    ok     ok!    ok     ok     ok     ok     ok     ok
GET /api/v1/categories                                                           ok
GET /api/v1/skills                                                               ok
POST /api/v1/jobs                                                                login  422    422    422    422    403    422    422    422    422    422    422
GET /api/v1/jobs                                                                 ok
GET /api/v1/jobs/{job_id}                                                        ok
PATCH /api/v1/jobs/{job_id}                                                      login  ok!    403    403    403    403    403    403    403    403    403    403
POST /api/v1/jobs/{job_id}/publish                                               login  ok     403    403    403    403    403    403    403    403    403    403
POST /api/v1/jobs/{job_id}/close                                                 login  ok!    403    403    403    403    403    403    403    403    403    403
POST /api/v1/jobs/{job_id}/cancel                                                login  ok!    403    403    403    403    403    403    403    403    403    403
POST /api/v1/jobs/{job_id}/nda                                                   login  422    422    422    422    422    422    422    422    422    422    422
GET /api/v1/me/jobs                                                              login  ok     ok     ok     ok     ok     ok     ok     ok     ok     ok     ok
POST /api/v1/jobs/{job_id}/invitations                                           login  ok!    403    403    403    403    403    403    403    403    403    403
GET /api/v1/jobs/{job_id}/invitations                                            login  ok     403    403    403    403    403    403    403    403    403    403
POST /api/v1/jobs/{job_id}/attachments                                           login  ok!    403    403    403    403    403    403    403    403    403    403
GET /api/v1/jobs/{job_id}/attachments/{attachment_id}                            ok
DELETE /api/v1/jobs/{job_id}/attachments/{attachment_id}                         login  ok!    403    403    403    403    403    403    403    403    403    403
GET /api/v1/me/saved-filters                                                     login  ok     ok     ok     ok     ok     ok     ok     ok     ok     ok     ok
POST /api/v1/me/saved-filters                                                    login  ok!    ok!    ok!    ok!    ok!    ok!    ok!    ok!    ok!    ok!    ok!
DELETE /api/v1/me/saved-filters/{filter_id}                                      login  404    404    ok!    404    ok!    404    404    404    404    404    404
GET /api/v1/wallet                                                               login  ok     ok     ok     ok     ok     ok     ok     ok     ok     ok     ok
GET /api/v1/wallet/statement                                                     login  422    422    422    422    422    422    422    422    422    422    422
POST /api/v1/deposits                                                            login  ok!    ok!    ok!    ok!    ok!    ok!    ok!    ok!    ok!    ok!    ok!
GET /api/v1/deposits                                                             login  ok     ok     ok     ok     ok     ok     ok     ok     ok     ok     ok
GET /api/v1/deposits/{deposit_id}                                                login  ok     404    404    404    404    404    404    404    404    404    404
POST /api/v1/gateways/{gateway}/webhook                                          400
GET /api/v1/payout-methods                                                       login  ok     ok     ok     ok     ok     ok     ok     ok     ok     ok     ok
POST /api/v1/payout-methods                                                      login  403    403    403    403    403    403    403    403    403    403    403
DELETE /api/v1/payout-methods/{method_id}                                        login  404    404    ok!    404    ok!    404    404    404    404    404    404
GET /api/v1/withdrawals                                                          login  ok     ok     ok     ok     ok     ok     ok     ok     ok     ok     ok
POST /api/v1/withdrawals                                                         login  422    422    ok!    422    ok!    422    422    422    422    422    422
GET /api/v1/withdrawals/quote                                                    login  422    422    422    422    422    422    422    422    422    422    422
GET /api/v1/withdrawals/{withdrawal_id}                                          login  404    404    ok     404    ok     404    404    404    404    404    404
GET /api/v1/payout-queue                                                         login  403    403    403    403    403    403    ok     403    ok     403    403
POST /api/v1/withdrawals/{withdrawal_id}/mark-paid                               login  403    403    403    403    403    403    ok!    403    ok!    403    403
POST /api/v1/withdrawals/{withdrawal_id}/reject                                  login  403    403    403    403    403    403    ok!    403    ok!    403    403
GET /api/v1/jobs/{job_id}/bids                                                   login  ok     ok     ok     ok     ok     ok     ok     ok     ok     ok     ok
POST /api/v1/jobs/{job_id}/bids                                                  login  422    422    422    422    403    422    422    422    422    422    422
GET /api/v1/jobs/{job_id}/bids/quote                                             login  422    422    422    422    422    422    422    422    422    422    422
GET /api/v1/bids/{bid_id}                                                        login  ok     404    ok     404    ok     404    404    404    404    404    404
PATCH /api/v1/bids/{bid_id}                                                      login  404    404    ok!    404    403    404    404    404    404    404    404
GET /api/v1/me/bids                                                              login  ok     ok     ok     ok     ok     ok     ok     ok     ok     ok     ok
POST /api/v1/bids/{bid_id}/withdraw                                              login  404    404    ok!    404    ok!    404    404    404    404    404    404
POST /api/v1/bids/{bid_id}/accept                                                login  404    404    422    404    422    404    404    404    404    404    404
POST /api/v1/bids/{bid_id}/decline                                               login  404    404    422    404    422    404    404    404    404    404    404
POST /api/v1/bids/{bid_id}/shortlist                                             login  ok     404    404    404    404    404    404    404    404    404    404
POST /api/v1/bids/{bid_id}/reject                                                login  ok!    404    404    404    404    404    404    404    404    404    404
POST /api/v1/bids/{bid_id}/award                                                 login  ok!    404    404    404    404    404    404    404    404    404    404
GET /api/v1/threads                                                              login  ok     ok     ok     ok     ok     ok     ok     ok     ok     ok     ok
GET /api/v1/threads/unread                                                       login  ok     ok     ok     ok     ok     ok     ok     ok     ok     ok     ok
POST /api/v1/jobs/{job_id}/threads                                               login  422    404    ok     ok!    ok     404    404    404    404    404    404
GET /api/v1/threads/{thread_id}                                                  login  ok     404    ok     404    ok     404    404    404    404    404    404
GET /api/v1/threads/{thread_id}/messages                                         login  ok!    404    ok!    404    ok!    404    404    404    404    404    404
POST /api/v1/threads/{thread_id}/messages                                        login  ok!    404    ok!    404    403    404    404    404    404    404    404
PATCH /api/v1/messages/{message_id}                                              login  403    404    ok!    404    403    404    404    404    404    404    404
GET /api/v1/messages/{message_id}/revisions                                      login  ok     404    ok     404    ok     404    404    404    404    404    404
GET /api/v1/messages/{message_id}/attachments/{attachment_id}                    login  ok     404    ok     404    ok     404    404    404    404    404    404
GET /api/v1/contracts                                                            login  ok     ok     ok     ok     ok     ok     ok     ok     ok     ok     ok
GET /api/v1/contracts/{contract_id}                                              login  ok     404    ok     404    ok     404    404    404    404    404    404
GET /api/v1/contracts/{contract_id}/milestones                                   login  ok     404    ok     404    ok     404    404    404    404    404    404
PUT /api/v1/contracts/{contract_id}/milestones                                   login  409    404    403    404    403    404    404    404    404    404    404
GET /api/v1/milestones/{milestone_id}/fund-quote                                 login  ok     404    ok     404    ok     404    404    404    404    404    404
POST /api/v1/milestones/{milestone_id}/fund                                      login  409    404    403    404    403    404    404    404    404    404    404
POST /api/v1/milestones/{milestone_id}/request-funding                           login  403    404    409    404    409    404    404    404    404    404    404
POST /api/v1/milestones/{milestone_id}/deliveries                                login  403    404    409    404    409    404    404    404    404    404    404
GET /api/v1/milestones/{milestone_id}/deliveries                                 login  ok     404    ok     404    ok     404    404    404    404    404    404
POST /api/v1/milestones/{milestone_id}/request-changes                           login  ok!    404    403    404    403    404    404    404    404    404    404
POST /api/v1/milestones/{milestone_id}/accept                                    login  ok!    404    403    404    403    404    404    404    404    404    404
POST /api/v1/milestones/{milestone_id}/agree-partial                             login  403    404    409    404    409    404    404    404    404    404    404
POST /api/v1/milestones/{milestone_id}/cancel                                    login  409    404    403    404    403    404    404    404    404    404    404
POST /api/v1/milestones/{milestone_id}/cancellation-requests                     login  ok!    404    ok!    404    ok!    404    404    404    404    404    404
POST /api/v1/cancellation-requests/{request_id}/answer                           login  ok!    404    403    404    403    404    404    404    404    404    404
GET /api/v1/contracts/{contract_id}/deliveries                                   login  ok     404    ok     404    ok     404    404    404    404    404    404
GET /api/v1/deliveries/{delivery_id}                                             login  ok     404    ok     404    ok     404    404    404    404    404    404
GET /api/v1/deliveries/{delivery_id}/download                                    login  ok     404    ok     404    ok     404    404    404    404    404    404
GET /api/v1/contracts/{contract_id}/status-reports                               login  ok     404    ok     404    ok     404    404    404    404    404    404
POST /api/v1/contracts/{contract_id}/status-reports                              login  403    404    ok!    404    ok!    404    404    404    404    404    404
GET /api/v1/contracts/{contract_id}/vault                                        login  ok     404    ok     404    ok     404    404    404    404    404    404
POST /api/v1/contracts/{contract_id}/vault                                       login  ok!    404    403    404    403    404    404    404    404    404    404
GET /api/v1/vault/{entry_id}                                                     login  ok!    404    ok!    404    ok!    404    404    404    404    404    404
PATCH /api/v1/vault/{entry_id}                                                   login  422    404    403    404    403    404    404    404    404    404    404
DELETE /api/v1/vault/{entry_id}                                                  login  ok!    404    403    404    403    404    404    404    404    404    404
GET /api/v1/contracts/{contract_id}/timeline                                     login  ok     404    ok     404    ok     404    404    404    404    404    404
POST /api/v1/contracts/{contract_id}/reviews                                     login  409    404    ok!    404    403    404    404    404    404    404    404
GET /api/v1/contracts/{contract_id}/reviews                                      login  ok     404    ok     404    ok     404    404    404    404    404    404
GET /api/v1/profiles/{user_id}/reviews                                           ok
GET /api/v1/freelancers                                                          ok
POST /api/v1/contracts/{contract_id}/disputes                                    login  409    404    409    404    409    404    404    404    404    404    404
GET /api/v1/disputes                                                             login  ok     ok     ok     ok     ok     ok     ok     ok     ok     ok     ok
GET /api/v1/disputes/{dispute_id}                                                login  ok     404    ok     404    ok     404    404    404    404    404    404
POST /api/v1/disputes/{dispute_id}/statements                                    login  ok!    404    ok!    404    ok!    404    404    404    404    404    404
POST /api/v1/disputes/{dispute_id}/offers                                        login  422    404    422    404    422    404    404    404    404    404    404
POST /api/v1/dispute-offers/{offer_id}/accept                                    login  ok!    404    403    404    403    404    404    404    404    404    404
POST /api/v1/dispute-offers/{offer_id}/reject                                    login  ok!    404    403    404    403    404    404    404    404    404    404
POST /api/v1/disputes/{dispute_id}/escalate                                      login  ok!    404    ok!    404    ok!    404    404    404    404    404    404
POST /api/v1/disputes/{dispute_id}/withdraw                                      login  ok!    404    403    404    403    404    404    404    404    404    404
POST /api/v1/reports                                                             login  ok     ok!    ok!    ok!    ok!    ok!    ok!    ok!    ok!    ok!    ok!
GET /api/v1/reports                                                              login  ok     ok     ok     ok     ok     ok     ok     ok     ok     ok     ok
GET /api/v1/me/moderation                                                        login  ok     ok     ok     ok     ok     ok     ok     ok     ok     ok     ok
POST /api/v1/suspensions/{suspension_id}/appeal                                  login  404    404    404    404    ok!    404    404    404    404    404    404
GET /admin/*                                                                     login  login  login  login  login  login  403    403    403    403    login 403
POST /admin/*                                                                    login  login  login  login  login  login  403    403    403    403    login 403
"""
