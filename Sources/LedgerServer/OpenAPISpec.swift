/// The API's OpenAPI 3.1 document, served at `/api/v1/openapi.json`. Hand-written; a test fails
/// when a route of the router and a path here disagree (LedgerServerTests `RouteTests`).
enum OpenAPISpec {
    static let json = #"""
        {
          "openapi": "3.1.0",
          "info": {
            "title": "AssetLedger API",
            "version": "1.0.0",
            "description": "The campus inventory's JSON API. Every route runs in the caller's scope: an admin or auditor sees every department, a liaison their own (a device or department outside it answers 404, as a missing one). Shapes are docs/SCHEMA.md's."
          },
          "servers": [
            {
              "url": "/"
            }
          ],
          "security": [
            {
              "bearer": []
            },
            {
              "session": []
            }
          ],
          "paths": {
            "/api/v1/openapi.json": {
              "get": {
                "summary": "This document",
                "security": [],
                "responses": {
                  "200": {
                    "description": "OK",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object"
                        }
                      }
                    }
                  }
                }
              }
            },
            "/api/v1/devices": {
              "get": {
                "summary": "Devices in scope (device list --format json), paged; X-Total-Count gives the total",
                "responses": {
                  "200": {
                    "description": "OK",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "array",
                          "items": {
                            "$ref": "#/components/schemas/DeviceOutput"
                          }
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "401": {
                    "$ref": "#/components/responses/Error"
                  },
                  "403": {
                    "$ref": "#/components/responses/Error"
                  },
                  "404": {
                    "$ref": "#/components/responses/Error"
                  }
                },
                "parameters": [
                  {
                    "name": "dept",
                    "in": "query",
                    "required": false,
                    "description": "Department code (sub-departments included); must be in the caller's scope",
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "name": "class",
                    "in": "query",
                    "required": false,
                    "description": "Device class",
                    "schema": {
                      "type": "string",
                      "enum": [
                        "",
                        "printer",
                        "mfp",
                        "fax",
                        "display",
                        "pc",
                        "server",
                        "network",
                        "other",
                        "unknown"
                      ]
                    }
                  },
                  {
                    "name": "q",
                    "in": "query",
                    "required": false,
                    "description": "Text the device holds (host name, address, MAC, serial, vendor, model)",
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "name": "unassigned",
                    "in": "query",
                    "required": false,
                    "description": "Only devices of no department (1 or true; empty, 0 or false: all)",
                    "schema": {
                      "type": "string",
                      "enum": [
                        "",
                        "0",
                        "1",
                        "true",
                        "false"
                      ]
                    }
                  },
                  {
                    "name": "sort",
                    "in": "query",
                    "required": false,
                    "description": "Order: a key, '-' before it for descending (devices without the key's value last; ties by id)",
                    "schema": {
                      "type": "string",
                      "enum": [
                        "",
                        "id",
                        "class",
                        "hostname",
                        "ip",
                        "vendor",
                        "model",
                        "department",
                        "last_seen",
                        "-id",
                        "-class",
                        "-hostname",
                        "-ip",
                        "-vendor",
                        "-model",
                        "-department",
                        "-last_seen"
                      ]
                    }
                  },
                  {
                    "name": "page",
                    "in": "query",
                    "required": false,
                    "description": "Page, from 1",
                    "schema": {
                      "type": "integer",
                      "minimum": 1
                    }
                  },
                  {
                    "name": "per_page",
                    "in": "query",
                    "required": false,
                    "description": "Devices per page",
                    "schema": {
                      "type": "integer",
                      "minimum": 1,
                      "maximum": 500
                    }
                  }
                ]
              }
            },
            "/api/v1/devices/{id}": {
              "get": {
                "summary": "One device (device show --format json)",
                "responses": {
                  "200": {
                    "description": "OK",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object"
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "401": {
                    "$ref": "#/components/responses/Error"
                  },
                  "403": {
                    "$ref": "#/components/responses/Error"
                  },
                  "404": {
                    "$ref": "#/components/responses/Error"
                  }
                },
                "parameters": [
                  {
                    "name": "id",
                    "in": "path",
                    "required": true,
                    "schema": {
                      "type": "integer",
                      "format": "int64"
                    }
                  }
                ]
              }
            },
            "/api/v1/departments": {
              "get": {
                "summary": "Departments in scope with device counts",
                "responses": {
                  "200": {
                    "description": "OK",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "array",
                          "items": {
                            "$ref": "#/components/schemas/Object"
                          }
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "401": {
                    "$ref": "#/components/responses/Error"
                  },
                  "403": {
                    "$ref": "#/components/responses/Error"
                  },
                  "404": {
                    "$ref": "#/components/responses/Error"
                  }
                }
              }
            },
            "/api/v1/software": {
              "get": {
                "summary": "Products installed in scope",
                "responses": {
                  "200": {
                    "description": "OK",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "array",
                          "items": {
                            "$ref": "#/components/schemas/Object"
                          }
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "401": {
                    "$ref": "#/components/responses/Error"
                  },
                  "403": {
                    "$ref": "#/components/responses/Error"
                  },
                  "404": {
                    "$ref": "#/components/responses/Error"
                  }
                },
                "parameters": [
                  {
                    "name": "dept",
                    "in": "query",
                    "required": false,
                    "description": "Department code (sub-departments included); must be in the caller's scope",
                    "schema": {
                      "type": "string"
                    }
                  }
                ]
              }
            },
            "/api/v1/posture": {
              "get": {
                "summary": "Patch, antivirus and OS support per office PC",
                "responses": {
                  "200": {
                    "description": "OK",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "array",
                          "items": {
                            "$ref": "#/components/schemas/Object"
                          }
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "401": {
                    "$ref": "#/components/responses/Error"
                  },
                  "403": {
                    "$ref": "#/components/responses/Error"
                  },
                  "404": {
                    "$ref": "#/components/responses/Error"
                  }
                },
                "parameters": [
                  {
                    "name": "dept",
                    "in": "query",
                    "required": false,
                    "description": "Department code (sub-departments included); must be in the caller's scope",
                    "schema": {
                      "type": "string"
                    }
                  }
                ]
              }
            },
            "/api/v1/compliance": {
              "get": {
                "summary": "Installs against licences (软件正版化)",
                "responses": {
                  "200": {
                    "description": "OK",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "array",
                          "items": {
                            "$ref": "#/components/schemas/Object"
                          }
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "401": {
                    "$ref": "#/components/responses/Error"
                  },
                  "403": {
                    "$ref": "#/components/responses/Error"
                  },
                  "404": {
                    "$ref": "#/components/responses/Error"
                  }
                },
                "parameters": [
                  {
                    "name": "dept",
                    "in": "query",
                    "required": false,
                    "description": "Department code (sub-departments included); must be in the caller's scope",
                    "schema": {
                      "type": "string"
                    }
                  }
                ]
              }
            },
            "/api/v1/scans": {
              "get": {
                "summary": "Recorded scans",
                "responses": {
                  "200": {
                    "description": "OK",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "array",
                          "items": {
                            "$ref": "#/components/schemas/Object"
                          }
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "401": {
                    "$ref": "#/components/responses/Error"
                  },
                  "403": {
                    "$ref": "#/components/responses/Error"
                  },
                  "404": {
                    "$ref": "#/components/responses/Error"
                  }
                }
              }
            },
            "/api/v1/scan-jobs": {
              "get": {
                "summary": "Scan jobs with their last and next run (scan job list --format json); campus-wide: a liaison gets 403",
                "responses": {
                  "200": {
                    "description": "OK",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "array",
                          "items": {
                            "$ref": "#/components/schemas/Object"
                          }
                        }
                      }
                    }
                  },
                  "401": {
                    "$ref": "#/components/responses/Error"
                  },
                  "403": {
                    "$ref": "#/components/responses/Error"
                  }
                }
              },
              "post": {
                "summary": "Add a scan job (IT only; scan job add): the scope checked as scan run checks it; 201 with the job, 409 when the name is taken; a session needs its X-CSRF-Token",
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "type": "object",
                        "additionalProperties": false,
                        "properties": {
                          "name": {
                            "type": "string",
                            "description": "Job name: no spaces or '/', not only digits"
                          },
                          "scope": {
                            "type": "array",
                            "items": {
                              "type": "string"
                            },
                            "description": "Targets: CIDR, range or address, as scan run takes them"
                          },
                          "exclusions": {
                            "type": "array",
                            "items": {
                              "type": "string"
                            },
                            "description": "Addresses never to touch"
                          },
                          "ports": {
                            "type": "string",
                            "description": "TCP ports, nmap style, or default"
                          },
                          "rate": {
                            "type": "number",
                            "description": "Packets per second over the whole scan"
                          },
                          "probes": {
                            "type": "string",
                            "description": "Phases after discovery: ports, udp, tcp (comma-separated), all or none"
                          },
                          "skip": {
                            "type": "string",
                            "description": "Probe names to leave out, comma-separated"
                          },
                          "interface": {
                            "type": "string",
                            "description": "Interface the server scans from"
                          },
                          "every": {
                            "type": "string",
                            "description": "Run every 30m, 6h, 1d..."
                          },
                          "at": {
                            "type": "string",
                            "description": "Run once a day after this local time, HH:MM"
                          },
                          "on_demand": {
                            "type": "boolean",
                            "description": "No schedule: runs only when asked"
                          }
                        },
                        "required": [
                          "name",
                          "scope",
                          "interface"
                        ]
                      }
                    }
                  }
                },
                "responses": {
                  "201": {
                    "description": "The job, added",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Object"
                        }
                      }
                    },
                    "headers": {
                      "Location": {
                        "description": "Where the new resource is read",
                        "schema": {
                          "type": "string"
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "401": {
                    "$ref": "#/components/responses/Error"
                  },
                  "403": {
                    "$ref": "#/components/responses/Error"
                  },
                  "409": {
                    "$ref": "#/components/responses/Error"
                  },
                  "413": {
                    "$ref": "#/components/responses/Error"
                  },
                  "422": {
                    "$ref": "#/components/responses/Error"
                  }
                }
              }
            },
            "/api/v1/scan-jobs/{id}": {
              "get": {
                "summary": "A scan job and its latest runs (scan job show --format json); campus-wide: a liaison gets 403",
                "responses": {
                  "200": {
                    "description": "OK",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object"
                        }
                      }
                    }
                  },
                  "401": {
                    "$ref": "#/components/responses/Error"
                  },
                  "403": {
                    "$ref": "#/components/responses/Error"
                  },
                  "404": {
                    "$ref": "#/components/responses/Error"
                  }
                },
                "parameters": [
                  {
                    "name": "id",
                    "in": "path",
                    "required": true,
                    "schema": {
                      "type": "integer",
                      "format": "int64"
                    }
                  }
                ]
              },
              "patch": {
                "summary": "Change a scan job (IT only; scan job edit): the fields given replace the job's, checked as on add; a session needs its X-CSRF-Token",
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "type": "object",
                        "additionalProperties": false,
                        "properties": {
                          "scope": {
                            "type": "array",
                            "items": {
                              "type": "string"
                            },
                            "description": "Targets: CIDR, range or address, as scan run takes them"
                          },
                          "exclusions": {
                            "type": "array",
                            "items": {
                              "type": "string"
                            },
                            "description": "Addresses never to touch"
                          },
                          "ports": {
                            "type": "string",
                            "description": "TCP ports, nmap style, or default"
                          },
                          "rate": {
                            "type": "number",
                            "description": "Packets per second over the whole scan"
                          },
                          "probes": {
                            "type": "string",
                            "description": "Phases after discovery: ports, udp, tcp (comma-separated), all or none"
                          },
                          "skip": {
                            "type": "string",
                            "description": "Probe names to leave out, comma-separated"
                          },
                          "interface": {
                            "type": "string",
                            "description": "Interface the server scans from"
                          },
                          "every": {
                            "type": "string",
                            "description": "Run every 30m, 6h, 1d..."
                          },
                          "at": {
                            "type": "string",
                            "description": "Run once a day after this local time, HH:MM"
                          },
                          "on_demand": {
                            "type": "boolean",
                            "description": "No schedule: runs only when asked"
                          }
                        },
                        "minProperties": 1
                      }
                    }
                  }
                },
                "responses": {
                  "200": {
                    "description": "The job, changed",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Object"
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "401": {
                    "$ref": "#/components/responses/Error"
                  },
                  "403": {
                    "$ref": "#/components/responses/Error"
                  },
                  "404": {
                    "$ref": "#/components/responses/Error"
                  },
                  "413": {
                    "$ref": "#/components/responses/Error"
                  },
                  "422": {
                    "$ref": "#/components/responses/Error"
                  }
                },
                "parameters": [
                  {
                    "name": "id",
                    "in": "path",
                    "required": true,
                    "schema": {
                      "type": "integer",
                      "format": "int64"
                    }
                  }
                ]
              },
              "delete": {
                "summary": "Remove a scan job and its runs (IT only; scan job remove; the scans they recorded stay); 409 while it runs; a session needs its X-CSRF-Token",
                "responses": {
                  "204": {
                    "description": "Removed"
                  },
                  "401": {
                    "$ref": "#/components/responses/Error"
                  },
                  "403": {
                    "$ref": "#/components/responses/Error"
                  },
                  "404": {
                    "$ref": "#/components/responses/Error"
                  },
                  "409": {
                    "$ref": "#/components/responses/Error"
                  }
                },
                "parameters": [
                  {
                    "name": "id",
                    "in": "path",
                    "required": true,
                    "schema": {
                      "type": "integer",
                      "format": "int64"
                    }
                  }
                ]
              }
            },
            "/api/v1/scan-jobs/{id}/run": {
              "post": {
                "summary": "Start a scan job now (IT only); answers 202 with the run as it started (running), 409 while a job of an overlapping scope runs; a session needs its X-CSRF-Token",
                "responses": {
                  "202": {
                    "description": "The run, started",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Object"
                        }
                      }
                    }
                  },
                  "401": {
                    "$ref": "#/components/responses/Error"
                  },
                  "403": {
                    "$ref": "#/components/responses/Error"
                  },
                  "404": {
                    "$ref": "#/components/responses/Error"
                  },
                  "409": {
                    "$ref": "#/components/responses/Error"
                  }
                },
                "parameters": [
                  {
                    "name": "id",
                    "in": "path",
                    "required": true,
                    "schema": {
                      "type": "integer",
                      "format": "int64"
                    }
                  }
                ]
              }
            },
            "/api/v1/scan-job-runs/{id}/cancel": {
              "post": {
                "summary": "Stop a running scan job run (IT only): answers 202 with the run, which ends shortly as cancelled (nothing of its scan recorded); 409 when it is not running or runs in another process (scan job run on the command line); a session needs its X-CSRF-Token",
                "responses": {
                  "202": {
                    "description": "The run, asked to stop",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Object"
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "401": {
                    "$ref": "#/components/responses/Error"
                  },
                  "403": {
                    "$ref": "#/components/responses/Error"
                  },
                  "404": {
                    "$ref": "#/components/responses/Error"
                  },
                  "409": {
                    "$ref": "#/components/responses/Error"
                  }
                },
                "parameters": [
                  {
                    "name": "id",
                    "in": "path",
                    "required": true,
                    "schema": {
                      "type": "integer",
                      "format": "int64"
                    }
                  }
                ]
              }
            },
            "/api/v1/campaigns": {
              "get": {
                "summary": "Self-check and security-check campaigns",
                "responses": {
                  "200": {
                    "description": "OK",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "array",
                          "items": {
                            "$ref": "#/components/schemas/Object"
                          }
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "401": {
                    "$ref": "#/components/responses/Error"
                  },
                  "403": {
                    "$ref": "#/components/responses/Error"
                  },
                  "404": {
                    "$ref": "#/components/responses/Error"
                  }
                }
              },
              "post": {
                "summary": "Open a campaign (IT only; campaign open): a self-check or a security check (its checklist from scanners/security-checklist.tsv); 201 with the campaign; a session needs its X-CSRF-Token",
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "type": "object",
                        "required": [
                          "kind",
                          "name",
                          "deadline"
                        ],
                        "properties": {
                          "kind": {
                            "type": "string",
                            "enum": [
                              "self-check",
                              "security-check"
                            ]
                          },
                          "name": {
                            "type": "string",
                            "minLength": 1
                          },
                          "deadline": {
                            "type": "string",
                            "description": "YYYY-MM-DD"
                          }
                        }
                      }
                    }
                  }
                },
                "responses": {
                  "201": {
                    "description": "The campaign, opened",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Object"
                        }
                      }
                    },
                    "headers": {
                      "Location": {
                        "description": "Where the new resource is read",
                        "schema": {
                          "type": "string"
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "401": {
                    "$ref": "#/components/responses/Error"
                  },
                  "403": {
                    "$ref": "#/components/responses/Error"
                  },
                  "413": {
                    "$ref": "#/components/responses/Error"
                  }
                }
              }
            },
            "/api/v1/campaigns/{id}": {
              "get": {
                "summary": "A campaign and its progress by department",
                "responses": {
                  "200": {
                    "description": "OK",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object"
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "401": {
                    "$ref": "#/components/responses/Error"
                  },
                  "403": {
                    "$ref": "#/components/responses/Error"
                  },
                  "404": {
                    "$ref": "#/components/responses/Error"
                  }
                },
                "parameters": [
                  {
                    "name": "id",
                    "in": "path",
                    "required": true,
                    "schema": {
                      "type": "integer",
                      "format": "int64"
                    }
                  }
                ]
              }
            },
            "/api/v1/campaigns/{id}/close": {
              "post": {
                "summary": "Close a campaign (IT only; campaign close): its findings and compliance (a security check: its results) frozen; 409 when already closed; a session needs its X-CSRF-Token",
                "responses": {
                  "200": {
                    "description": "The campaign as frozen (CampaignShowOutput or SecurityCheckShowOutput)",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Object"
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "401": {
                    "$ref": "#/components/responses/Error"
                  },
                  "403": {
                    "$ref": "#/components/responses/Error"
                  },
                  "404": {
                    "$ref": "#/components/responses/Error"
                  },
                  "409": {
                    "$ref": "#/components/responses/Error"
                  }
                },
                "parameters": [
                  {
                    "name": "id",
                    "in": "path",
                    "required": true,
                    "schema": {
                      "type": "integer",
                      "format": "int64"
                    }
                  }
                ]
              }
            },
            "/api/v1/audit": {
              "get": {
                "summary": "The audit log in scope",
                "responses": {
                  "200": {
                    "description": "OK",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "array",
                          "items": {
                            "$ref": "#/components/schemas/Object"
                          }
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "401": {
                    "$ref": "#/components/responses/Error"
                  },
                  "403": {
                    "$ref": "#/components/responses/Error"
                  },
                  "404": {
                    "$ref": "#/components/responses/Error"
                  }
                }
              }
            },
            "/api/v1/reports": {
              "post": {
                "summary": "An endpoint collector's report (our report schema, GLPI JSON, OCS XML, osquery …), one transaction; a reports token or an admin",
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "type": "object"
                      }
                    },
                    "application/xml": {
                      "schema": {
                        "type": "string"
                      }
                    },
                    "text/plain": {
                      "schema": {
                        "type": "string"
                      }
                    }
                  }
                },
                "responses": {
                  "201": {
                    "description": "Imported",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object"
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "401": {
                    "$ref": "#/components/responses/Error"
                  },
                  "403": {
                    "$ref": "#/components/responses/Error"
                  },
                  "413": {
                    "$ref": "#/components/responses/Error"
                  }
                }
              }
            },
            "/api/v1/review-coverage": {
              "get": {
                "summary": "Review coverage per department in scope",
                "responses": {
                  "200": {
                    "description": "OK",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "array",
                          "items": {
                            "$ref": "#/components/schemas/Object"
                          }
                        }
                      }
                    }
                  },
                  "401": {
                    "$ref": "#/components/responses/Error"
                  },
                  "403": {
                    "$ref": "#/components/responses/Error"
                  }
                }
              }
            },
            "/api/v1/devices/review": {
              "post": {
                "summary": "The department review of several devices at once (all in the caller's scope, or none written); a session needs its X-CSRF-Token",
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "type": "object",
                        "required": [
                          "devices",
                          "status"
                        ],
                        "properties": {
                          "devices": {
                            "type": "array",
                            "items": {
                              "type": "integer"
                            },
                            "minItems": 1
                          },
                          "status": {
                            "type": "string",
                            "enum": [
                              "confirmed",
                              "not_ours",
                              "retired",
                              "wrong_class"
                            ]
                          },
                          "note": {
                            "type": [
                              "string",
                              "null"
                            ],
                            "maxLength": 1000
                          }
                        }
                      }
                    }
                  }
                },
                "responses": {
                  "200": {
                    "description": "The reviews as recorded",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "array",
                          "items": {
                            "$ref": "#/components/schemas/Object"
                          }
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "401": {
                    "$ref": "#/components/responses/Error"
                  },
                  "403": {
                    "$ref": "#/components/responses/Error"
                  },
                  "404": {
                    "$ref": "#/components/responses/Error"
                  },
                  "413": {
                    "$ref": "#/components/responses/Error"
                  }
                }
              }
            },
            "/api/v1/claims": {
              "get": {
                "summary": "The claims of the caller's departments (IT and auditors: all), newest first",
                "parameters": [
                  {
                    "name": "status",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "type": "string",
                      "enum": [
                        "",
                        "open",
                        "granted",
                        "refused"
                      ]
                    },
                    "description": "Only claims of this status (empty: any)"
                  }
                ],
                "responses": {
                  "200": {
                    "description": "OK",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "array",
                          "items": {
                            "$ref": "#/components/schemas/ClaimOutput"
                          }
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "401": {
                    "$ref": "#/components/responses/Error"
                  },
                  "403": {
                    "$ref": "#/components/responses/Error"
                  }
                }
              },
              "post": {
                "summary": "A department claims a device by a MAC, serial or IP it knows; the answer says the claim is filed, never what it named; a session needs its X-CSRF-Token",
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "type": "object",
                        "required": [
                          "identifier",
                          "reason"
                        ],
                        "properties": {
                          "identifier": {
                            "type": "string",
                            "minLength": 1,
                            "maxLength": 64
                          },
                          "department": {
                            "type": [
                              "string",
                              "null"
                            ]
                          },
                          "reason": {
                            "type": "string",
                            "minLength": 1,
                            "maxLength": 1000
                          }
                        }
                      }
                    }
                  }
                },
                "responses": {
                  "201": {
                    "description": "Filed",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/ClaimFiledOutput"
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "401": {
                    "$ref": "#/components/responses/Error"
                  },
                  "403": {
                    "$ref": "#/components/responses/Error"
                  },
                  "404": {
                    "$ref": "#/components/responses/Error"
                  },
                  "409": {
                    "$ref": "#/components/responses/Error"
                  },
                  "413": {
                    "$ref": "#/components/responses/Error"
                  }
                }
              }
            },
            "/api/v1/claims/{id}/decision": {
              "post": {
                "summary": "IT grants (the device is assigned to the claimant by hand) or refuses (with a note) an open claim",
                "parameters": [
                  {
                    "name": "id",
                    "in": "path",
                    "required": true,
                    "schema": {
                      "type": "integer"
                    }
                  }
                ],
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "type": "object",
                        "required": [
                          "decision"
                        ],
                        "properties": {
                          "decision": {
                            "type": "string",
                            "enum": [
                              "grant",
                              "refuse"
                            ]
                          },
                          "note": {
                            "type": [
                              "string",
                              "null"
                            ],
                            "maxLength": 1000
                          },
                          "device": {
                            "type": [
                              "integer",
                              "null"
                            ]
                          }
                        }
                      }
                    }
                  }
                },
                "responses": {
                  "200": {
                    "description": "The claim as decided",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/ClaimOutput"
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "401": {
                    "$ref": "#/components/responses/Error"
                  },
                  "403": {
                    "$ref": "#/components/responses/Error"
                  },
                  "404": {
                    "$ref": "#/components/responses/Error"
                  },
                  "409": {
                    "$ref": "#/components/responses/Error"
                  },
                  "413": {
                    "$ref": "#/components/responses/Error"
                  }
                }
              }
            },
            "/api/v1/devices/assign": {
              "post": {
                "summary": "IT assigns several devices to one department by hand, in one transaction (one missing device refuses them all)",
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "type": "object",
                        "required": [
                          "devices",
                          "department"
                        ],
                        "properties": {
                          "devices": {
                            "type": "array",
                            "items": {
                              "type": "integer"
                            },
                            "minItems": 1,
                            "maxItems": 1000
                          },
                          "department": {
                            "type": "string"
                          }
                        }
                      }
                    }
                  }
                },
                "responses": {
                  "200": {
                    "description": "The assignments",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "array",
                          "items": {
                            "$ref": "#/components/schemas/Object"
                          }
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "401": {
                    "$ref": "#/components/responses/Error"
                  },
                  "403": {
                    "$ref": "#/components/responses/Error"
                  },
                  "404": {
                    "$ref": "#/components/responses/Error"
                  },
                  "413": {
                    "$ref": "#/components/responses/Error"
                  }
                }
              }
            },
            "/api/v1/report": {
              "get": {
                "summary": "The college legalization report (report --format json: CollegeReportOutput), in the caller's scope; the console's /report downloads it as HTML or XLSX",
                "parameters": [
                  {
                    "name": "dept",
                    "in": "query",
                    "required": false,
                    "description": "Department code (and its sub-departments)",
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "name": "campaign",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "type": "integer",
                      "minimum": 1
                    }
                  },
                  {
                    "name": "security_check",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "type": "integer",
                      "minimum": 1
                    }
                  },
                  {
                    "name": "year",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "type": "integer",
                      "minimum": 2000,
                      "maximum": 2100
                    }
                  },
                  {
                    "name": "day",
                    "in": "query",
                    "required": false,
                    "description": "YYYY-MM-DD",
                    "schema": {
                      "type": "string"
                    }
                  }
                ],
                "responses": {
                  "200": {
                    "description": "OK",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Object"
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "401": {
                    "$ref": "#/components/responses/Error"
                  },
                  "403": {
                    "$ref": "#/components/responses/Error"
                  },
                  "404": {
                    "$ref": "#/components/responses/Error"
                  }
                }
              }
            },
            "/api/v1/commitments": {
              "get": {
                "summary": "The staff commitments' coverage by department (commitment status --format json), in the caller's scope",
                "parameters": [
                  {
                    "name": "dept",
                    "in": "query",
                    "required": false,
                    "description": "Department code (and its sub-departments)",
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "name": "year",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "type": "integer",
                      "minimum": 2000,
                      "maximum": 2100
                    }
                  }
                ],
                "responses": {
                  "200": {
                    "description": "OK",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "array",
                          "items": {
                            "$ref": "#/components/schemas/Object"
                          }
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "401": {
                    "$ref": "#/components/responses/Error"
                  },
                  "403": {
                    "$ref": "#/components/responses/Error"
                  },
                  "404": {
                    "$ref": "#/components/responses/Error"
                  }
                }
              },
              "post": {
                "summary": "Record that an employee of the caller's departments signed the year's commitment (commitment sign); a session needs its X-CSRF-Token",
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "type": "object",
                        "required": [
                          "employee",
                          "year"
                        ],
                        "properties": {
                          "employee": {
                            "type": "string",
                            "minLength": 1
                          },
                          "year": {
                            "type": "integer",
                            "minimum": 1900,
                            "maximum": 2999
                          },
                          "day": {
                            "type": [
                              "string",
                              "null"
                            ],
                            "format": "date"
                          }
                        }
                      }
                    }
                  }
                },
                "responses": {
                  "201": {
                    "description": "The signature as recorded",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Object"
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "401": {
                    "$ref": "#/components/responses/Error"
                  },
                  "403": {
                    "$ref": "#/components/responses/Error"
                  },
                  "404": {
                    "$ref": "#/components/responses/Error"
                  },
                  "413": {
                    "$ref": "#/components/responses/Error"
                  }
                }
              }
            },
            "/api/v1/domestic": {
              "get": {
                "summary": "The domestic (国产) share of software installs, hardware and spend (domestic --format json), in the caller's scope",
                "parameters": [
                  {
                    "name": "dept",
                    "in": "query",
                    "required": false,
                    "description": "Department code (and its sub-departments)",
                    "schema": {
                      "type": "string"
                    }
                  }
                ],
                "responses": {
                  "200": {
                    "description": "OK",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "array",
                          "items": {
                            "$ref": "#/components/schemas/Object"
                          }
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "401": {
                    "$ref": "#/components/responses/Error"
                  },
                  "403": {
                    "$ref": "#/components/responses/Error"
                  },
                  "404": {
                    "$ref": "#/components/responses/Error"
                  }
                }
              }
            },
            "/api/v1/campaigns/{id}/findings": {
              "get": {
                "summary": "A self-check's findings (campaign findings --format json): the caller's departments' only; a closed campaign answers from its snapshot — paged",
                "parameters": [
                  {
                    "name": "id",
                    "in": "path",
                    "required": true,
                    "schema": {
                      "type": "integer",
                      "format": "int64"
                    }
                  },
                  {
                    "name": "dept",
                    "in": "query",
                    "required": false,
                    "description": "Department code (and its sub-departments)",
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "name": "page",
                    "in": "query",
                    "required": false,
                    "description": "Page, from 1",
                    "schema": {
                      "type": "integer",
                      "minimum": 1
                    }
                  },
                  {
                    "name": "per_page",
                    "in": "query",
                    "required": false,
                    "description": "Rows per page (100 by default); X-Total-Count has the whole list's length",
                    "schema": {
                      "type": "integer",
                      "minimum": 1,
                      "maximum": 500
                    }
                  }
                ],
                "responses": {
                  "200": {
                    "description": "OK",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "array",
                          "items": {
                            "$ref": "#/components/schemas/Object"
                          }
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "401": {
                    "$ref": "#/components/responses/Error"
                  },
                  "403": {
                    "$ref": "#/components/responses/Error"
                  },
                  "404": {
                    "$ref": "#/components/responses/Error"
                  }
                }
              }
            },
            "/api/v1/campaigns/{id}/pcs": {
              "get": {
                "summary": "A self-check's PCs in the caller's scope, each with whether, by whom and when it was marked checked — paged",
                "parameters": [
                  {
                    "name": "id",
                    "in": "path",
                    "required": true,
                    "schema": {
                      "type": "integer",
                      "format": "int64"
                    }
                  },
                  {
                    "name": "dept",
                    "in": "query",
                    "required": false,
                    "description": "Department code (and its sub-departments)",
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "name": "page",
                    "in": "query",
                    "required": false,
                    "description": "Page, from 1",
                    "schema": {
                      "type": "integer",
                      "minimum": 1
                    }
                  },
                  {
                    "name": "per_page",
                    "in": "query",
                    "required": false,
                    "description": "Rows per page (100 by default); X-Total-Count has the whole list's length",
                    "schema": {
                      "type": "integer",
                      "minimum": 1,
                      "maximum": 500
                    }
                  }
                ],
                "responses": {
                  "200": {
                    "description": "OK",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "array",
                          "items": {
                            "$ref": "#/components/schemas/Object"
                          }
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "401": {
                    "$ref": "#/components/responses/Error"
                  },
                  "403": {
                    "$ref": "#/components/responses/Error"
                  },
                  "404": {
                    "$ref": "#/components/responses/Error"
                  }
                }
              }
            },
            "/api/v1/campaigns/{id}/samples": {
              "get": {
                "summary": "IT's sample (抽查) of a self-check: the sampled PCs of the caller's departments with their results",
                "parameters": [
                  {
                    "name": "id",
                    "in": "path",
                    "required": true,
                    "schema": {
                      "type": "integer",
                      "format": "int64"
                    }
                  },
                  {
                    "name": "dept",
                    "in": "query",
                    "required": false,
                    "description": "Department code (and its sub-departments)",
                    "schema": {
                      "type": "string"
                    }
                  }
                ],
                "responses": {
                  "200": {
                    "description": "OK",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "array",
                          "items": {
                            "$ref": "#/components/schemas/Object"
                          }
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "401": {
                    "$ref": "#/components/responses/Error"
                  },
                  "403": {
                    "$ref": "#/components/responses/Error"
                  },
                  "404": {
                    "$ref": "#/components/responses/Error"
                  }
                }
              },
              "post": {
                "summary": "IT draws a department's sample of PCs for inspection (campaign sample; IT only); the same seed draws the same PCs; a session needs its X-CSRF-Token",
                "parameters": [
                  {
                    "name": "id",
                    "in": "path",
                    "required": true,
                    "schema": {
                      "type": "integer",
                      "format": "int64"
                    }
                  }
                ],
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "type": "object",
                        "required": [
                          "department",
                          "count"
                        ],
                        "properties": {
                          "department": {
                            "type": "string",
                            "minLength": 1
                          },
                          "count": {
                            "type": "integer",
                            "minimum": 1,
                            "maximum": 1000
                          },
                          "seed": {
                            "type": [
                              "integer",
                              "null"
                            ],
                            "format": "int64"
                          }
                        }
                      }
                    }
                  }
                },
                "responses": {
                  "201": {
                    "description": "OK",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "array",
                          "items": {
                            "$ref": "#/components/schemas/Object"
                          }
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "401": {
                    "$ref": "#/components/responses/Error"
                  },
                  "403": {
                    "$ref": "#/components/responses/Error"
                  },
                  "404": {
                    "$ref": "#/components/responses/Error"
                  },
                  "409": {
                    "$ref": "#/components/responses/Error"
                  },
                  "413": {
                    "$ref": "#/components/responses/Error"
                  }
                }
              }
            },
            "/api/v1/campaigns/{id}/results": {
              "get": {
                "summary": "A security check's results per device and item (campaign results --format json), in the caller's scope — paged",
                "parameters": [
                  {
                    "name": "id",
                    "in": "path",
                    "required": true,
                    "schema": {
                      "type": "integer",
                      "format": "int64"
                    }
                  },
                  {
                    "name": "dept",
                    "in": "query",
                    "required": false,
                    "description": "Department code (and its sub-departments)",
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "name": "failing",
                    "in": "query",
                    "required": false,
                    "description": "Only failed results",
                    "schema": {
                      "type": "string",
                      "enum": [
                        "0",
                        "1",
                        "true",
                        "false"
                      ]
                    }
                  },
                  {
                    "name": "page",
                    "in": "query",
                    "required": false,
                    "description": "Page, from 1",
                    "schema": {
                      "type": "integer",
                      "minimum": 1
                    }
                  },
                  {
                    "name": "per_page",
                    "in": "query",
                    "required": false,
                    "description": "Rows per page (100 by default); X-Total-Count has the whole list's length",
                    "schema": {
                      "type": "integer",
                      "minimum": 1,
                      "maximum": 500
                    }
                  }
                ],
                "responses": {
                  "200": {
                    "description": "OK",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "array",
                          "items": {
                            "$ref": "#/components/schemas/Object"
                          }
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "401": {
                    "$ref": "#/components/responses/Error"
                  },
                  "403": {
                    "$ref": "#/components/responses/Error"
                  },
                  "404": {
                    "$ref": "#/components/responses/Error"
                  }
                }
              },
              "post": {
                "summary": "A security-check result recorded by hand (campaign check): a manual item, or an override of an automatic one, which needs a note with the reason; another department's device answers 404; a session needs its X-CSRF-Token",
                "parameters": [
                  {
                    "name": "id",
                    "in": "path",
                    "required": true,
                    "schema": {
                      "type": "integer",
                      "format": "int64"
                    }
                  }
                ],
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "type": "object",
                        "required": [
                          "device",
                          "item",
                          "result"
                        ],
                        "properties": {
                          "device": {
                            "type": "integer",
                            "format": "int64"
                          },
                          "item": {
                            "type": "string",
                            "minLength": 1
                          },
                          "result": {
                            "type": "string",
                            "enum": [
                              "pass",
                              "fail",
                              "na"
                            ]
                          },
                          "note": {
                            "type": [
                              "string",
                              "null"
                            ],
                            "maxLength": 2000
                          }
                        }
                      }
                    }
                  }
                },
                "responses": {
                  "200": {
                    "description": "The result as it now stands",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Object"
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "401": {
                    "$ref": "#/components/responses/Error"
                  },
                  "403": {
                    "$ref": "#/components/responses/Error"
                  },
                  "404": {
                    "$ref": "#/components/responses/Error"
                  },
                  "409": {
                    "$ref": "#/components/responses/Error"
                  },
                  "413": {
                    "$ref": "#/components/responses/Error"
                  }
                }
              }
            },
            "/api/v1/campaigns/{id}/resolutions": {
              "post": {
                "summary": "Resolve self-check findings (campaign resolve), all in the caller's departments or none written: uninstalled, licence-bought (with its reference), exempt (with a reason) or not-ours; a session needs its X-CSRF-Token",
                "parameters": [
                  {
                    "name": "id",
                    "in": "path",
                    "required": true,
                    "schema": {
                      "type": "integer",
                      "format": "int64"
                    }
                  }
                ],
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "type": "object",
                        "required": [
                          "findings",
                          "resolution"
                        ],
                        "properties": {
                          "findings": {
                            "type": "array",
                            "items": {
                              "type": "string"
                            },
                            "minItems": 1,
                            "maxItems": 1000
                          },
                          "resolution": {
                            "type": "string",
                            "enum": [
                              "uninstalled",
                              "licence-bought",
                              "exempt",
                              "not-ours"
                            ]
                          },
                          "reference": {
                            "type": [
                              "string",
                              "null"
                            ]
                          },
                          "reason": {
                            "type": [
                              "string",
                              "null"
                            ]
                          }
                        }
                      }
                    }
                  }
                },
                "responses": {
                  "200": {
                    "description": "OK",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "array",
                          "items": {
                            "$ref": "#/components/schemas/Object"
                          }
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "401": {
                    "$ref": "#/components/responses/Error"
                  },
                  "403": {
                    "$ref": "#/components/responses/Error"
                  },
                  "404": {
                    "$ref": "#/components/responses/Error"
                  },
                  "409": {
                    "$ref": "#/components/responses/Error"
                  },
                  "413": {
                    "$ref": "#/components/responses/Error"
                  }
                }
              }
            },
            "/api/v1/campaigns/{id}/checks": {
              "post": {
                "summary": "Mark PCs checked in a self-check (campaign check-pc), all in the caller's departments or none written; a session needs its X-CSRF-Token",
                "parameters": [
                  {
                    "name": "id",
                    "in": "path",
                    "required": true,
                    "schema": {
                      "type": "integer",
                      "format": "int64"
                    }
                  }
                ],
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "type": "object",
                        "required": [
                          "devices"
                        ],
                        "properties": {
                          "devices": {
                            "type": "array",
                            "items": {
                              "type": "integer",
                              "format": "int64"
                            },
                            "minItems": 1,
                            "maxItems": 1000
                          }
                        }
                      }
                    }
                  }
                },
                "responses": {
                  "200": {
                    "description": "OK",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "array",
                          "items": {
                            "$ref": "#/components/schemas/Object"
                          }
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "401": {
                    "$ref": "#/components/responses/Error"
                  },
                  "403": {
                    "$ref": "#/components/responses/Error"
                  },
                  "404": {
                    "$ref": "#/components/responses/Error"
                  },
                  "409": {
                    "$ref": "#/components/responses/Error"
                  },
                  "413": {
                    "$ref": "#/components/responses/Error"
                  }
                }
              }
            },
            "/api/v1/campaigns/{id}/sign-offs": {
              "post": {
                "summary": "The department head's sign-off of a self-check (campaign sign-off), for one of the caller's departments; a session needs its X-CSRF-Token",
                "parameters": [
                  {
                    "name": "id",
                    "in": "path",
                    "required": true,
                    "schema": {
                      "type": "integer",
                      "format": "int64"
                    }
                  }
                ],
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "type": "object",
                        "required": [
                          "department",
                          "by",
                          "statement"
                        ],
                        "properties": {
                          "department": {
                            "type": "string",
                            "minLength": 1
                          },
                          "by": {
                            "type": "string",
                            "minLength": 1
                          },
                          "statement": {
                            "type": "string",
                            "minLength": 1
                          }
                        }
                      }
                    }
                  }
                },
                "responses": {
                  "201": {
                    "description": "The sign-off as recorded",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Object"
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "401": {
                    "$ref": "#/components/responses/Error"
                  },
                  "403": {
                    "$ref": "#/components/responses/Error"
                  },
                  "404": {
                    "$ref": "#/components/responses/Error"
                  },
                  "409": {
                    "$ref": "#/components/responses/Error"
                  },
                  "413": {
                    "$ref": "#/components/responses/Error"
                  }
                }
              }
            },
            "/api/v1/campaigns/{id}/sample-results": {
              "post": {
                "summary": "IT records a sampled PC's inspection and who of the department confirmed it (campaign sample-result; IT only); a session needs its X-CSRF-Token",
                "parameters": [
                  {
                    "name": "id",
                    "in": "path",
                    "required": true,
                    "schema": {
                      "type": "integer",
                      "format": "int64"
                    }
                  }
                ],
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "type": "object",
                        "required": [
                          "device",
                          "result",
                          "confirmed_by"
                        ],
                        "properties": {
                          "device": {
                            "type": "integer",
                            "format": "int64"
                          },
                          "result": {
                            "type": "string",
                            "enum": [
                              "pass",
                              "fail"
                            ]
                          },
                          "note": {
                            "type": [
                              "string",
                              "null"
                            ]
                          },
                          "confirmed_by": {
                            "type": "string",
                            "minLength": 1
                          }
                        }
                      }
                    }
                  }
                },
                "responses": {
                  "200": {
                    "description": "The sampled PC as it now stands",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Object"
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "401": {
                    "$ref": "#/components/responses/Error"
                  },
                  "403": {
                    "$ref": "#/components/responses/Error"
                  },
                  "404": {
                    "$ref": "#/components/responses/Error"
                  },
                  "409": {
                    "$ref": "#/components/responses/Error"
                  },
                  "413": {
                    "$ref": "#/components/responses/Error"
                  }
                }
              }
            },
            "/api/v1/commitments/unsigned": {
              "get": {
                "summary": "Staff who have not signed the year's licensed-software commitment (commitment status --unsigned), in the caller's scope — paged",
                "parameters": [
                  {
                    "name": "dept",
                    "in": "query",
                    "required": false,
                    "description": "Department code (and its sub-departments)",
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "name": "year",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "type": "integer",
                      "minimum": 2000,
                      "maximum": 2100
                    }
                  },
                  {
                    "name": "page",
                    "in": "query",
                    "required": false,
                    "description": "Page, from 1",
                    "schema": {
                      "type": "integer",
                      "minimum": 1
                    }
                  },
                  {
                    "name": "per_page",
                    "in": "query",
                    "required": false,
                    "description": "Rows per page (100 by default); X-Total-Count has the whole list's length",
                    "schema": {
                      "type": "integer",
                      "minimum": 1,
                      "maximum": 500
                    }
                  }
                ],
                "responses": {
                  "200": {
                    "description": "OK",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "array",
                          "items": {
                            "$ref": "#/components/schemas/Object"
                          }
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "401": {
                    "$ref": "#/components/responses/Error"
                  },
                  "403": {
                    "$ref": "#/components/responses/Error"
                  },
                  "404": {
                    "$ref": "#/components/responses/Error"
                  }
                }
              }
            },
            "/api/v1/licenses": {
              "get": {
                "summary": "The licence register (license list --format json): the campus pool and the caller's departments' licences",
                "responses": {
                  "200": {
                    "description": "OK",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "array",
                          "items": {
                            "$ref": "#/components/schemas/Object"
                          }
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "401": {
                    "$ref": "#/components/responses/Error"
                  },
                  "403": {
                    "$ref": "#/components/responses/Error"
                  },
                  "404": {
                    "$ref": "#/components/responses/Error"
                  }
                }
              }
            },
            "/api/v1/scans/diff": {
              "get": {
                "summary": "Two recorded scans compared (scan diff --format json): hosts new, gone and changed; the last two scans, or older and newer (both). Campus-wide: a liaison gets 403; 404 without two scans or for a missing id",
                "parameters": [
                  {
                    "name": "older",
                    "in": "query",
                    "required": false,
                    "description": "The older scan's id (with newer)",
                    "schema": {
                      "type": "integer",
                      "format": "int64"
                    }
                  },
                  {
                    "name": "newer",
                    "in": "query",
                    "required": false,
                    "description": "The newer scan's id (with older)",
                    "schema": {
                      "type": "integer",
                      "format": "int64"
                    }
                  }
                ],
                "responses": {
                  "200": {
                    "description": "OK",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Object"
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "401": {
                    "$ref": "#/components/responses/Error"
                  },
                  "403": {
                    "$ref": "#/components/responses/Error"
                  },
                  "404": {
                    "$ref": "#/components/responses/Error"
                  }
                }
              }
            },
            "/api/v1/campaigns/{id}/diff": {
              "get": {
                "summary": "A closed campaign compared with an older closed one of its kind (campaign diff --format json: CampaignDiffOutput or SecurityCheckDiffOutput), in the caller's departments; 404 when there is none before it, 409 while either is open",
                "parameters": [
                  {
                    "name": "id",
                    "in": "path",
                    "required": true,
                    "schema": {
                      "type": "integer",
                      "format": "int64"
                    }
                  },
                  {
                    "name": "against",
                    "in": "query",
                    "required": false,
                    "description": "The older campaign (default: the closed one of the same kind opened last before it)",
                    "schema": {
                      "type": "integer",
                      "format": "int64"
                    }
                  }
                ],
                "responses": {
                  "200": {
                    "description": "OK",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Object"
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "401": {
                    "$ref": "#/components/responses/Error"
                  },
                  "403": {
                    "$ref": "#/components/responses/Error"
                  },
                  "404": {
                    "$ref": "#/components/responses/Error"
                  },
                  "409": {
                    "$ref": "#/components/responses/Error"
                  }
                }
              }
            }
          },
          "components": {
            "securitySchemes": {
              "bearer": {
                "type": "http",
                "scheme": "bearer",
                "description": "assetledger token create LOGIN"
              },
              "session": {
                "type": "apiKey",
                "in": "cookie",
                "name": "al_session"
              }
            },
            "responses": {
              "Error": {
                "description": "Refused",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/ErrorOutput"
                    }
                  }
                }
              }
            },
            "schemas": {
              "Object": {
                "type": "object"
              },
              "ErrorOutput": {
                "type": "object",
                "required": [
                  "code",
                  "http_status",
                  "message"
                ],
                "properties": {
                  "code": {
                    "type": "string"
                  },
                  "http_status": {
                    "type": "integer"
                  },
                  "message": {
                    "type": "string"
                  },
                  "file": {
                    "type": [
                      "string",
                      "null"
                    ]
                  },
                  "line": {
                    "type": [
                      "integer",
                      "null"
                    ]
                  }
                }
              },
              "DeviceOutput": {
                "type": "object",
                "required": [
                  "id",
                  "class",
                  "fax_capable",
                  "macs",
                  "ips",
                  "hostnames",
                  "first_seen",
                  "last_seen"
                ],
                "properties": {
                  "id": {
                    "type": "integer"
                  },
                  "class": {
                    "type": "string"
                  },
                  "fax_capable": {
                    "type": "boolean"
                  },
                  "vendor": {
                    "type": [
                      "string",
                      "null"
                    ]
                  },
                  "model": {
                    "type": [
                      "string",
                      "null"
                    ]
                  },
                  "serial": {
                    "type": [
                      "string",
                      "null"
                    ]
                  },
                  "uuid": {
                    "type": [
                      "string",
                      "null"
                    ]
                  },
                  "os": {
                    "type": [
                      "string",
                      "null"
                    ]
                  },
                  "firmware": {
                    "type": [
                      "string",
                      "null"
                    ]
                  },
                  "hostname": {
                    "type": [
                      "string",
                      "null"
                    ]
                  },
                  "macs": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  },
                  "ips": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  },
                  "hostnames": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  },
                  "department": {
                    "type": [
                      "string",
                      "null"
                    ]
                  },
                  "department_name": {
                    "type": [
                      "string",
                      "null"
                    ]
                  },
                  "owner_rule": {
                    "type": [
                      "string",
                      "null"
                    ]
                  },
                  "owner_detail": {
                    "type": [
                      "string",
                      "null"
                    ]
                  },
                  "first_seen": {
                    "type": "string"
                  },
                  "last_seen": {
                    "type": "string"
                  }
                }
              },
              "ClaimOutput": {
                "type": "object",
                "required": [
                  "id",
                  "department",
                  "identifier_kind",
                  "identifier",
                  "device",
                  "device_department",
                  "reason",
                  "claimed_by",
                  "claimed_at",
                  "status",
                  "decided_by",
                  "decided_at",
                  "decision_note"
                ],
                "properties": {
                  "id": {
                    "type": "integer"
                  },
                  "department": {
                    "type": "string"
                  },
                  "identifier_kind": {
                    "type": "string",
                    "enum": [
                      "mac",
                      "serial",
                      "ip"
                    ]
                  },
                  "identifier": {
                    "type": "string"
                  },
                  "device": {
                    "type": [
                      "integer",
                      "null"
                    ]
                  },
                  "device_department": {
                    "type": [
                      "string",
                      "null"
                    ]
                  },
                  "reason": {
                    "type": "string"
                  },
                  "claimed_by": {
                    "type": "string"
                  },
                  "claimed_at": {
                    "type": "string"
                  },
                  "status": {
                    "type": "string",
                    "enum": [
                      "open",
                      "granted",
                      "refused"
                    ]
                  },
                  "decided_by": {
                    "type": [
                      "string",
                      "null"
                    ]
                  },
                  "decided_at": {
                    "type": [
                      "string",
                      "null"
                    ]
                  },
                  "decision_note": {
                    "type": [
                      "string",
                      "null"
                    ]
                  }
                }
              },
              "ClaimFiledOutput": {
                "type": "object",
                "required": [
                  "id",
                  "department",
                  "status"
                ],
                "properties": {
                  "id": {
                    "type": "integer"
                  },
                  "department": {
                    "type": "string"
                  },
                  "status": {
                    "type": "string",
                    "enum": [
                      "open"
                    ]
                  }
                }
              }
            }
          }
        }
        """#
}
